import type { AccountKey, AccountQuery, AccountSelection } from "../../api/types";

/** The table's selection: explicit keys, or "everything matching the filter" minus exclusions. */
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

/** What a bulk change, export or migration covers, with the number behind its description. */
export type ResolvedSelection = {
  selection: AccountSelection;
  /** `selected`: rows the user picked; `matching`: everything the filter shows. */
  scope: "selected" | "matching";
  count: number;
};

/**
 * The table's selection in the core's terms. Picked rows become their keys; nothing picked
 * means the current filter; "all that match" goes as the filter itself (so the core takes every
 * match, not just the rows loaded), or — with rows unticked since — the filter's keys (asked
 * from Rust with `keysOf`) minus those. `matched` is how many rows the filter matches.
 */
export async function resolveSelection(
  sel: Selection,
  query: AccountQuery,
  matched: number,
  keysOf: (q: AccountQuery) => Promise<AccountKey[]>,
): Promise<ResolvedSelection> {
  const filter: AccountSelection = { type: "query", query: { ...query, offset: 0 } };
  if (sel.mode === "keys") {
    if (sel.keys.size === 0) return { selection: filter, scope: "matching", count: matched };
    const keys = [...sel.keys.values()];
    return { selection: { type: "keys", keys }, scope: "selected", count: keys.length };
  }
  if (sel.excluded.size === 0) return { selection: filter, scope: "selected", count: matched };
  const keys = (await keysOf({ ...query, offset: 0 })).filter((k) => !sel.excluded.has(keyId(k)));
  return { selection: { type: "keys", keys }, scope: "selected", count: keys.length };
}

/** Whether the user picked rows (as opposed to nothing, which falls back to the filter). */
export function hasPicked(sel: Selection): boolean {
  return sel.mode === "allMatching" || sel.keys.size > 0;
}
