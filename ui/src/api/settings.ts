import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../bindings";
import type { AppSettings, Folder, ImportChoice } from "../bindings";
import { unwrap } from "./client";

export const settingsKeys = { info: ["settings"] as const };

export function useSettingsInfo() {
  return useQuery({ queryKey: settingsKeys.info, queryFn: () => unwrap(commands.settingsGet()) });
}

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: AppSettings) => unwrap(commands.settingsSave(settings)),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.info }),
  });
}

export const openFolder = (folder: Folder) => unwrap(commands.folderOpen(folder));

export function useUpdateCheck() {
  return useMutation({ mutationFn: () => unwrap(commands.updateCheck()) });
}

export function useUpdateInstall() {
  return useMutation({ mutationFn: () => unwrap(commands.updateInstall()) });
}

export function useProfileExport() {
  return useMutation({
    mutationFn: (a: { path: string; passphrase: string }) => unwrap(commands.profileExport(a.path, a.passphrase)),
  });
}

export function useProfileImportPreview() {
  return useMutation({
    mutationFn: (a: { path: string; passphrase: string }) => unwrap(commands.profileImportPreview(a.path, a.passphrase)),
  });
}

export function useProfileImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (a: { path: string; passphrase: string; onConflict: ImportChoice }) =>
      unwrap(commands.profileImport(a.path, a.passphrase, a.onConflict)),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.info }),
  });
}
