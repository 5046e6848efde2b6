import type { AccountKey, AccountQuery, TransferSelection } from "../../api/types";
import { keyId, type Selection } from "../accounts/selection";

/** What an export or migration covers, with the number behind its description. */
export type ResolvedSelection = {
  selection: TransferSelection;
  /** `selected`: rows the user picked; `matching`: everything the filter shows. */
  scope: "selected" | "matching";
  count: number;
};

/**
 * The table's selection in the core's terms. Picked rows become their keys; nothing picked
 * means the current filter; "all that match" is the filter, or — with rows unticked since —
 * the filter's keys (asked from Rust with `keysOf`) minus those.
 */
export async function resolveSelection(
  sel: Selection,
  query: AccountQuery,
  matched: number,
  keysOf: (q: AccountQuery) => Promise<AccountKey[]>,
): Promise<ResolvedSelection> {
  const filter: TransferSelection = { type: "query", query: { ...query, offset: 0 } };
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
