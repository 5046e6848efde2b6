import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ok, renderWithClient, report, samplePlan } from "../bulk/testing";
import { Actions } from "./AccountDetailPane";
import { UndoNotice } from "./UndoNotice";

const accountAction = vi.fn<(...args: unknown[]) => Promise<unknown>>();
const bulkRevertPlan = vi.fn<(...args: unknown[]) => Promise<unknown>>();
const bulkRun = vi.fn<(...args: unknown[]) => Promise<unknown>>();

vi.mock("../../bindings", () => ({
  commands: {
    accountAction: (...args: unknown[]) => accountAction(...args),
    bulkRevertPlan: (...args: unknown[]) => bulkRevertPlan(...args),
    bulkRun: (...args: unknown[]) => bulkRun(...args),
  },
  events: {},
}));

beforeEach(() => {
  for (const f of [accountAction, bulkRevertPlan, bulkRun]) f.mockReset();
});
afterEach(cleanup);

describe("undo after a reversible change", () => {
  it("offers Undo for a disable, and hands the journaled operation to it", async () => {
    accountAction.mockResolvedValue(ok({ nativeId: "alice", message: { code: "clientDisabled" }, secret: null, journal: "op-9" }));
    const onUndoable = vi.fn();
    const detail = {
      account: { key: { panelId: "p1", nativeId: "alice" }, kind: "marzban", name: "alice", status: "active", enabled: true, usedBytes: 0 },
      panel: { name: "Frankfurt" },
      capabilities: { canToggle: true },
    };
    // @ts-expect-error: only what the actions read
    renderWithClient(<Actions detail={detail} onEdit={() => {}} onGone={() => {}} onUndoable={onUndoable} />);
    fireEvent.click(screen.getByText("Disable"));
    await waitFor(() => expect(onUndoable).toHaveBeenCalledWith("op-9", expect.any(String)));
  });

  it("reverts the operation and says so", async () => {
    const p = { ...samplePlan(), toChange: 1 };
    bulkRevertPlan.mockResolvedValue(ok(p));
    bulkRun.mockResolvedValue(ok(report(p)));
    renderWithClient(<UndoNotice opId="op-9" text="Client disabled." onEnd={() => {}} />);
    expect(screen.getByTestId("undo-notice").textContent).toContain("Client disabled.");
    fireEvent.click(screen.getByTestId("undo-action"));
    await waitFor(() => expect(screen.getByTestId("undo-notice").dataset.state).toBe("undone"));
    expect(bulkRevertPlan).toHaveBeenCalledWith("op-9");
    expect(bulkRun).toHaveBeenCalledWith(p.id, "execute", null);
  });

  it("goes away on its own after a few seconds", () => {
    vi.useFakeTimers();
    const onEnd = vi.fn();
    renderWithClient(<UndoNotice opId="op-9" text={null} onEnd={onEnd} />);
    vi.advanceTimersByTime(10_001);
    expect(onEnd).toHaveBeenCalled();
    vi.useRealTimers();
  });
});
