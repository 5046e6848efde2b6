import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AccountDetail } from "../../api/types";
import { ok, renderWithClient } from "../bulk/testing";
import { Actions } from "./AccountDetailPane";

const accountAction = vi.fn<(...args: unknown[]) => Promise<unknown>>();

vi.mock("../../bindings", () => ({
  commands: { accountAction: (...args: unknown[]) => accountAction(...args) },
  events: {},
}));

function detail(status: "active" | "expired" = "active", enabled = true): AccountDetail {
  // Only what the actions read.
  return {
    account: { key: { panelId: "p1", nativeId: "alice" }, kind: "marzban", name: "alice", status, enabled, usedBytes: 19 * 1024 ** 3 },
    panel: { name: "Frankfurt" },
    capabilities: { canToggle: true, canResetTraffic: true, canRevokeSubscription: true, canDelete: true },
  } as unknown as AccountDetail;
}

beforeEach(() => {
  accountAction.mockReset();
  accountAction.mockResolvedValue(ok({ nativeId: "alice", message: { code: "trafficReset" }, secret: null }));
});
afterEach(cleanup);

describe("account actions", () => {
  it("asks before resetting traffic, naming the account, the panel and what is lost", async () => {
    renderWithClient(<Actions detail={detail()} onEdit={() => {}} onGone={() => {}} />);
    fireEvent.click(screen.getByTestId("action-resetTraffic"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("alice");
    expect(dialog.textContent).toContain("Frankfurt");
    expect(dialog.textContent).toContain("19");
    expect(accountAction).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("confirm-action"));
    await waitFor(() => expect(accountAction).toHaveBeenCalledWith({ panelId: "p1", nativeId: "alice" }, { type: "resetTraffic" }));
  });

  it("does nothing when the question is cancelled", async () => {
    renderWithClient(<Actions detail={detail()} onEdit={() => {}} onGone={() => {}} />);
    fireEvent.click(screen.getByTestId("action-revokeSubscription"));
    fireEvent.click(await screen.findByText("Cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(accountAction).not.toHaveBeenCalled();
  });

  it("says an expired account stays unusable after Enable", async () => {
    accountAction.mockResolvedValue(ok({ nativeId: "alice", message: { code: "clientEnabled" }, secret: null }));
    renderWithClient(<Actions detail={detail("expired", false)} onEdit={() => {}} onGone={() => {}} />);
    fireEvent.click(screen.getByText("Enable"));
    const notice = await screen.findByRole("status");
    expect(notice.textContent).toContain("stays unusable");
  });
});
