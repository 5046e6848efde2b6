// Fixtures and helpers for the bulk screens' tests (not imported by the app).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render } from "@testing-library/react";
import type { ReactNode } from "react";

import type { BulkPlan, BulkProgress, BulkReport, Counts, ItemRecord, OpTitle, PlanItem } from "../../api/types";

type Listener = (e: { payload: BulkProgress }) => void;

/** Stands in for `events.bulkProgressed`: tests push progress through `emit`. */
export function progressHub() {
  const listeners = new Set<Listener>();
  return {
    event: {
      listen: async (cb: Listener) => {
        listeners.add(cb);
        return () => {
          listeners.delete(cb);
        };
      },
    },
    emit: (payload: BulkProgress) =>
      act(() => {
        listeners.forEach((l) => l({ payload }));
      }),
    get count() {
      return listeners.size;
    },
  };
}

export const ok = <T,>(data: T) => ({ status: "ok" as const, data });

export function renderWithClient(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}

export const counts = (c: Partial<Counts>): Counts => ({ total: 0, done: 0, failed: 0, skipped: 0, left: 0, ...c });

export function item(seq: number, panelId: string, name: string, extra: Partial<PlanItem> = {}): PlanItem {
  return {
    seq,
    key: { panelId, nativeId: name },
    name,
    op: { type: "setTrafficLimit", bytes: 20 * 1024 ** 3, addBytes: null },
    changes: [{ field: "limit", before: { type: "bytes", bytes: 10 * 1024 ** 3 }, after: { type: "bytes", bytes: 20 * 1024 ** 3 } }],
    skip: null,
    ...extra,
  };
}

const moment = (ms: number) => ({ type: "moment" as const, ms });

/** Alice's expiry before and after the sample plan (2026-11-23 09:10 UTC, 30 days later). */
export const ALICE_BEFORE = 1_795_425_000_000;
export const ALICE_AFTER = ALICE_BEFORE + 30 * 86_400_000;

/** A title journaled as text (older journals, imports): shown as it is. */
export const textTitle = (text: string): OpTitle => ({ what: { type: "text", text }, accounts: 0, panels: 0 });

/** Two panels: Helsinki (one to change, one skipped) and Frankfurt (one to change). */
export function samplePlan(): BulkPlan {
  return {
    id: "0f3c9a52-1111-4222-8333-944445555666",
    title: { what: { type: "change", action: { type: "extendExpiry", days: 30 } }, accounts: 3, panels: 2 },
    createdAtMs: 1_700_000_000_000,
    toChange: 2,
    skipped: 1,
    panels: [
      {
        panelId: "p1",
        panelName: "Helsinki",
        kind: "marzban",
        toChange: 1,
        skipped: 1,
        items: [
          item(1, "p1", "alice", {
            op: { type: "setExpiry", ms: 1_800_000_000_000, addDays: 30 },
            changes: [{ field: "expiry", before: moment(ALICE_BEFORE), after: moment(ALICE_AFTER) }],
          }),
          item(2, "p1", "bob", {
            op: { type: "setExpiry", ms: null, addDays: 30 },
            changes: [],
            skip: { reason: "unlimited_expiry", message: "Not changed: it never expires." },
          }),
        ],
      },
      {
        panelId: "p2",
        panelName: "Frankfurt",
        kind: "xui",
        toChange: 1,
        skipped: 0,
        items: [
          item(3, "p2", "carol@example.com", {
            op: { type: "setExpiry", ms: 1_800_000_000_000, addDays: 30 },
            changes: [{ field: "expiry", before: moment(1_767_225_600_000), after: moment(1_769_817_600_000) }],
          }),
        ],
      },
    ],
  };
}

export function failure(seq: number, name: string, message: string): ItemRecord {
  return {
    seq,
    panelId: "p2",
    panelName: "Frankfurt",
    kind: "xui",
    nativeId: name,
    name,
    op: { type: "setExpiry", ms: 1_800_000_000_000, addDays: 30 },
    changes: [],
    state: "failed",
    attempts: 3,
    error: { code: "panel_failed", detail: message },
    message: null,
    resultId: null,
    drift: [],
    startedAtMs: 1_700_000_000_000,
    finishedAtMs: 1_700_000_001_000,
  };
}

export function report(plan: BulkPlan, extra: Partial<BulkReport> = {}): BulkReport {
  return {
    opId: plan.id,
    state: "finished",
    cancelled: false,
    counts: counts({ total: 3, done: 2, skipped: 1 }),
    panels: [
      { opId: plan.id, panelId: "p1", panelName: "Helsinki", counts: counts({ total: 2, done: 1, skipped: 1 }) },
      { opId: plan.id, panelId: "p2", panelName: "Frankfurt", counts: counts({ total: 1, done: 1 }) },
    ],
    failures: [],
    changed: [],
    tookMs: 1200,
    ...extra,
  };
}

/** A promise and the functions that settle it, for commands that return when the test says. */
export function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
