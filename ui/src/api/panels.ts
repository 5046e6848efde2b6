import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

import { commands, events } from "../bindings";
import type { PanelId, PanelInput } from "./types";
import { unwrap } from "./client";

export const panelKeys = { all: ["panels"] as const, appInfo: ["appInfo"] as const };

export function useAppInfo() {
  return useQuery({ queryKey: panelKeys.appInfo, queryFn: () => commands.appInfo() });
}

export function usePanels() {
  return useQuery({ queryKey: panelKeys.all, queryFn: () => unwrap(commands.panelsList()) });
}

/** Refetches the panel list whenever the backend says it changed. */
export function usePanelsChangedListener() {
  const client = useQueryClient();
  useEffect(() => {
    const unlisten = events.panelsChanged.listen(() => {
      void client.invalidateQueries({ queryKey: panelKeys.all });
    });
    return () => {
      void unlisten.then((f) => f());
    };
  }, [client]);
}

export function useTestDraft() {
  return useMutation({
    mutationFn: (args: { input: PanelInput; editing: PanelId | null }) =>
      unwrap(commands.panelsTestDraft(args.input, args.editing)),
  });
}

export function useTestPanel() {
  return useMutation({ mutationFn: (id: PanelId) => unwrap(commands.panelsTest(id)) });
}

export function useSavePanel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: PanelId | null; input: PanelInput; verify: boolean; maxAnswerMib: number | null }) =>
      args.id === null
        ? unwrap(commands.panelsAdd(args.input, args.verify, args.maxAnswerMib))
        : unwrap(commands.panelsUpdate(args.id, args.input, args.verify, args.maxAnswerMib)),
    onSuccess: () => client.invalidateQueries({ queryKey: panelKeys.all }),
  });
}

export function useRemovePanel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: PanelId) => unwrap(commands.panelsRemove(id)),
    onSuccess: () => client.invalidateQueries({ queryKey: panelKeys.all }),
  });
}

/** Opens the panel's web page in the default browser (Rust drops credentials and query). */
export const openPanelInBrowser = (id: PanelId) => unwrap(commands.panelOpenInBrowser(id));
