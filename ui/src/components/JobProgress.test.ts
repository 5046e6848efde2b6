import { describe, expect, it } from "vitest";

import type { SyncEvent } from "../api/types";
import { syncTotals } from "../pages/accounts/SyncStatus";
import { formatDuration, rateOf } from "./JobProgress";

describe("job pace", () => {
  it("needs two readings a quarter second apart, then gives the pace and the time left", () => {
    expect(rateOf([{ at: 0, done: 0 }], 100)).toEqual({ perSecond: null, secondsLeft: null });
    expect(rateOf([{ at: 0, done: 0 }, { at: 100, done: 50 }], 100).perSecond).toBeNull();
    expect(rateOf([{ at: 0, done: 0 }, { at: 500, done: 50 }, { at: 1000, done: 100 }], 1100)).toEqual({ perSecond: 100, secondsLeft: 10 });
    expect(rateOf([{ at: 0, done: 0 }, { at: 1000, done: 100 }], null)).toEqual({ perSecond: 100, secondsLeft: null });
  });

  it("words the time left in the UI language, in seconds then minutes", () => {
    expect(formatDuration(0.2, "en")).toBe("1 sec");
    expect(formatDuration(42.1, "en")).toBe("43 sec");
    expect(formatDuration(125, "en")).toBe("3 min");
    expect(formatDuration(8, "fa")).toMatch(/۸/);
  });
});

describe("sync totals", () => {
  const p = (panelId: string, fetched: number, total: number | null): SyncEvent => ({ type: "progress", panelId, fetched, total });
  it("count only this sync's panels, and have no total while one has not told its size", () => {
    const old: SyncEvent = { type: "finished", panelId: "a", accounts: 500, tookMs: 1 };
    const before = { a: old };
    expect(syncTotals({ a: old, b: p("b", 10, 100), c: p("c", 5, 50) }, before)).toEqual({ done: 15, total: 150 });
    const done: SyncEvent = { type: "finished", panelId: "b", accounts: 100, tookMs: 9 };
    expect(syncTotals({ a: old, b: done, c: p("c", 20, 50) }, before)).toEqual({ done: 120, total: 150 });
    expect(syncTotals({ a: old, b: done, c: p("c", 20, null) }, before)).toEqual({ done: 120, total: null });
    expect(syncTotals({ a: old, b: done, c: { type: "started", panelId: "c" } }, before).total).toBeNull();
  });
});
