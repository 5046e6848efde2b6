import { describe, expect, it } from "vitest";

import { addRange, emptySelection, isSelected, selectedCount, toggle, type Selection } from "./selection";

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
