import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { OpSummary, SyncEvent } from "../api/types";
import { counts, ok, progressHub, renderWithClient, textTitle } from "../pages/bulk/testing";
import { ActivityIndicator } from "./ActivityIndicator";

const bulkHub = progressHub();
type SyncListener = (e: { payload: SyncEvent }) => void;
const syncListeners = new Set<SyncListener>();
const emitSync = (payload: SyncEvent) => act(() => syncListeners.forEach((l) => l({ payload })));

const op = (state: OpSummary["state"], extra: Partial<OpSummary> = {}): OpSummary => ({
  opId: "op-1",
  title: textTitle("Disable 200 accounts"),
  actor: "alex",
  state,
  interrupted: false,
  createdAtMs: 0,
  startedAtMs: 0,
  finishedAtMs: null,
  counts: counts({ total: 200, done: 45, left: 155 }),
  ...extra,
});
let history: OpSummary[] = [];

vi.mock("../bindings", () => ({
  commands: { bulkHistory: async () => ok(history) },
  events: {
    get bulkProgressed() {
      return bulkHub.event;
    },
    syncProgress: {
      listen: async (cb: SyncListener) => {
        syncListeners.add(cb);
        return () => syncListeners.delete(cb);
      },
    },
  },
}));

afterEach(cleanup);

describe("activity indicator", () => {
  it("shows nothing when nothing runs", async () => {
    history = [op("finished", { counts: counts({ total: 200, done: 200 }) })];
    renderWithClient(<ActivityIndicator onNavigate={() => {}} />);
    await act(async () => {});
    expect(screen.queryByTestId("activity")).toBeNull();
  });

  it("shows a run whose dialog is closed, with its progress, and opens Operations", async () => {
    history = [op("running"), op("running", { opId: "old", interrupted: true })];
    const onNavigate = vi.fn();
    renderWithClient(<ActivityIndicator onNavigate={onNavigate} />);
    const runs = await screen.findByTestId("activity-runs");
    expect(runs.textContent).toContain("1 operation running: 45 of 200");
    fireEvent.click(runs);
    expect(onNavigate).toHaveBeenCalledWith("operations");
  });

  it("counts panels syncing until each finishes or fails", async () => {
    history = [];
    renderWithClient(<ActivityIndicator onNavigate={() => {}} />);
    await waitFor(() => expect(syncListeners.size).toBe(1));
    emitSync({ type: "started", panelId: "a" });
    emitSync({ type: "progress", panelId: "b", fetched: 10, total: 100 });
    expect(screen.getByTestId("activity-sync").textContent).toContain("Syncing 2 panels");
    emitSync({ type: "finished", panelId: "a", accounts: 3, tookMs: 5 });
    expect(screen.getByTestId("activity-sync").textContent).toContain("Syncing 1 panel");
    emitSync({ type: "failed", panelId: "b", error: { code: "network", message: "down", field: null, details: null } as never });
    expect(screen.queryByTestId("activity")).toBeNull();
  });
});
