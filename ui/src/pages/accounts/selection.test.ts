import { describe, expect, it, vi } from "vitest";

import type { AccountQuery } from "../../api/types";
import {
  addRange,
  emptySelection,
  hasPicked,
  isSelected,
  keyId,
  resolveSelection,
  selectedCount,
  toggle,
  type Selection,
} from "./selection";

const k = (n: string) => ({ panelId: "p", nativeId: n });

describe("selection", () => {
  it("toggles single rows and remembers the anchor", () => {
    let s = toggle(emptySelection(), k("a"), 3);
    expect(isSelected(s, k("a"))).toBe(true);
    expect(s.mode === "keys" && s.anchor).toBe(3);
    s = toggle(s, k("a"), 3);
    expect(isSelected(s, k("a"))).toBe(false);
  });

  it("adds ranges to explicit selections without duplicates", () => {
    const s = addRange(toggle(emptySelection(), k("a"), 0), [k("a"), k("b"), k("c")], 2);
    expect(selectedCount(s, 100)).toBe(3);
  });

  it("counts 'all matching' minus exclusions", () => {
    let s: Selection = { mode: "allMatching", excluded: new Set<string>() };
    s = toggle(s, k("x"), 5);
    expect(isSelected(s, k("x"))).toBe(false);
    expect(isSelected(s, k("y"))).toBe(true);
    expect(selectedCount(s, 10)).toBe(9);
  });
});

const query: AccountQuery = {
  search: "eu",
  panelIds: [],
  kinds: [],
  statuses: [],
  expiringWithinDays: null,
  depleted: false,
  online: null,
  group: null,
  protocol: null,
  sort: "name",
  descending: false,
  offset: 300,
  limit: 100,
};

describe("what a bulk change or an export covers", () => {
  it("is the filter when nothing is picked", async () => {
    const keysOf = vi.fn();
    const r = await resolveSelection(emptySelection(), query, 1200, keysOf);
    expect(r).toEqual({ selection: { type: "query", query: { ...query, offset: 0 } }, scope: "matching", count: 1200 });
    expect(keysOf).not.toHaveBeenCalled();
    expect(hasPicked(emptySelection())).toBe(false);
  });

  it("is the picked keys", async () => {
    const sel = toggle(toggle(emptySelection(), k("a"), 0), k("b"), 1);
    const r = await resolveSelection(sel, query, 1200, vi.fn());
    expect(r).toEqual({ selection: { type: "keys", keys: [k("a"), k("b")] }, scope: "selected", count: 2 });
  });

  it("is the filter for 'all that match', or its keys minus the unticked ones", async () => {
    const all: Selection = { mode: "allMatching", excluded: new Set() };
    expect((await resolveSelection(all, query, 5, vi.fn())).selection).toEqual({ type: "query", query: { ...query, offset: 0 } });

    const minus: Selection = { mode: "allMatching", excluded: new Set([keyId(k("b"))]) };
    const keysOf = vi.fn(async () => [k("a"), k("b"), k("c")]);
    const r = await resolveSelection(minus, query, 3, keysOf);
    expect(keysOf).toHaveBeenCalledWith({ ...query, offset: 0 });
    expect(r).toEqual({ selection: { type: "keys", keys: [k("a"), k("c")] }, scope: "selected", count: 2 });
  });
});
