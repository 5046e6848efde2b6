import { useQuery } from "@tanstack/react-query";

import { commands } from "../bindings";
import { unwrap } from "./client";
import type {
  AccountKey,
  AccountSelection,
  ExportOptions,
  ImportOptions,
  LinkSave,
  PanelId,
  PickKind,
} from "./types";

export const transferKeys = {
  allLinks: ["links"] as const,
  links: (key: AccountKey) => ["links", key.panelId, key.nativeId] as const,
  // Not under "links": a QR code depends only on its text, never on a change.
  qr: (text: string) => ["qr", text] as const,
  defaultPath: (name: string) => ["defaultPath", name] as const,
};

/** Every link of one account (the panel is asked, so this can take a moment). */
export function useAccountLinks(key: AccountKey, enabled = true) {
  return useQuery({
    queryKey: transferKeys.links(key),
    queryFn: () => unwrap(commands.accountLinks(key)),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** The QR code of `text` as SVG markup, drawn by Rust; `null` asks for nothing. */
export function useLinkQr(text: string | null) {
  return useQuery({
    queryKey: transferKeys.qr(text ?? ""),
    queryFn: () => unwrap(commands.linkQr(text ?? "")),
    enabled: text !== null,
    staleTime: Infinity,
    retry: false,
  });
}

/** The default place (the Downloads folder) for a file called `name`. */
export function useDefaultPath(name: string) {
  return useQuery({
    queryKey: transferKeys.defaultPath(name),
    queryFn: () => commands.defaultPath(name),
    staleTime: Infinity,
  });
}

/** An `<img>` source for SVG markup, so it is shown as an image and never parsed into the page. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Puts `text` on the clipboard; where the async clipboard is missing or refused, through a
 *  hidden text area and `execCommand("copy")`. Resolves to whether it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the text-area way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.insetBlockStart = "-1000px";
  area.style.opacity = "0";
  document.body.appendChild(area);
  try {
    area.focus();
    area.select();
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

export const pickPath = (kind: PickKind, suggested: string | null) => unwrap(commands.pickPath(kind, suggested));

/** Progress arrives as `jobProgressed` events under `jobId`; `cancelJob(jobId)` stops it. */
export const exportAccounts = (selection: AccountSelection, options: ExportOptions, path: string, jobId: string) =>
  unwrap(commands.accountsExport(selection, options, path, jobId));

/** Progress arrives as `jobProgressed` events under `jobId`; `cancelJob(jobId)` stops it. */
export const exportLinks = (selection: AccountSelection, save: LinkSave, path: string, jobId: string) =>
  unwrap(commands.linksExport(selection, save, path, jobId));

export const previewImport = (path: string, panelId: PanelId, options: ImportOptions) =>
  unwrap(commands.importPreview(path, panelId, options));

export const previewMigration = (from: PanelId, to: PanelId, selection: AccountSelection | null, options: ImportOptions) =>
  unwrap(commands.migrationPreview(from, to, selection, options));

/** A file with bad rows writes nothing unless `skipBadRows` imports the good rows alone. */
export const confirmImport = (previewId: string, skipBadRows: boolean) =>
  unwrap(commands.importConfirm(previewId, skipBadRows));

/** Forgets a preview that will not be confirmed (nothing was written for it). */
export async function discardImport(previewId: string): Promise<void> {
  await commands.importDiscard(previewId);
}

/** Today as `YYYY-MM-DD` in local time, for default file names. */
export function isoDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const KNOWN_EXTENSIONS = /\.(csv|json|txt|zip|html?)$/i;

/** `path` with its file extension replaced by `ext` (`null`: a folder, no extension). Only
 *  the extensions exports write are replaced, so a name with dots keeps them. */
export function withExtension(path: string, ext: string | null): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  const dir = path.slice(0, cut);
  const name = path.slice(cut).replace(KNOWN_EXTENSIONS, "");
  if (name === "") return path;
  return ext ? `${dir}${name}.${ext}` : `${dir}${name}`;
}

/** Inbound ids typed as a comma list (`1, 2 5`), or the first piece that is not one. */
export function parseInboundIds(text: string): { ids: number[] } | { bad: string } {
  const ids: number[] = [];
  for (const piece of text.split(/[\s,;]+/).filter((p) => p !== "")) {
    if (!/^\d{1,15}$/.test(piece)) return { bad: piece };
    const id = Number(piece);
    if (!ids.includes(id)) ids.push(id);
  }
  return { ids };
}
