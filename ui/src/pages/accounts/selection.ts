import type { AccountKey } from "../../api/types";

/** Selection for bulk work: explicit keys, or "everything matching the filter" minus exclusions. */
export type Selection =
  | { mode: "keys"; keys: Map<string, AccountKey>; anchor: number | null }
  | { mode: "allMatching"; excluded: Set<string> };

export const emptySelection = (): Selection => ({ mode: "keys", keys: new Map(), anchor: null });

export const keyId = (k: AccountKey) => `${k.panelId}\u0000${k.nativeId}`;

export function isSelected(sel: Selection, key: AccountKey): boolean {
  const id = keyId(key);
  return sel.mode === "keys" ? sel.keys.has(id) : !sel.excluded.has(id);
}

/** Ctrl/Cmd-click or the checkbox: flip one row. */
export function toggle(sel: Selection, key: AccountKey, index: number): Selection {
  const id = keyId(key);
  if (sel.mode === "allMatching") {
    const excluded = new Set(sel.excluded);
    if (excluded.has(id)) excluded.delete(id);
    else excluded.add(id);
    return { mode: "allMatching", excluded };
  }
  const keys = new Map(sel.keys);
  if (keys.has(id)) keys.delete(id);
  else keys.set(id, key);
  return { mode: "keys", keys, anchor: index };
}

/** Shift-click: add the rows between the anchor and this one (their keys fetched by the caller). */
export function addRange(sel: Selection, range: AccountKey[], index: number): Selection {
  if (sel.mode === "allMatching") return sel;
  const keys = new Map(sel.keys);
  for (const k of range) keys.set(keyId(k), k);
  return { mode: "keys", keys, anchor: index };
}

export function selectedCount(sel: Selection, matched: number): number {
  return sel.mode === "keys" ? sel.keys.size : Math.max(0, matched - sel.excluded.size);
}
