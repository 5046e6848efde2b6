import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AccountKey, BulkRequest, JobStep } from "../../api/types";
import { initialQuery } from "../accounts/AccountsView";
import { keyId, type Selection } from "../accounts/selection";
import { BulkDialog } from "./BulkDialog";
import { ok, progressHub, renderWithClient, samplePlan } from "./testing";

const hub = progressHub();
const bulkPlan = vi.fn<(request: BulkRequest, jobId: string) => Promise<unknown>>(async () => ok(samplePlan()));
const jobCancel = vi.fn<(jobId: string) => Promise<boolean>>(async () => true);
type JobListener = (e: { payload: { jobId: string; step: JobStep } }) => void;
const jobListeners = new Set<JobListener>();
const accountsKeys = vi.fn<(query: unknown) => Promise<unknown>>(async () => ok<AccountKey[]>([]));
const bulkDiscard = vi.fn<(opId: string) => Promise<unknown>>(async () => ok(null));

vi.mock("../../bindings", () => ({
  commands: {
    bulkPlan: (request: BulkRequest, jobId: string) => bulkPlan(request, jobId),
    jobCancel: (jobId: string) => jobCancel(jobId),
    accountsKeys: (query: unknown) => accountsKeys(query),
    bulkDiscard: (opId: string) => bulkDiscard(opId),
    bulkRun: async () => new Promise(() => {}),
    bulkCancel: async () => true,
  },
  events: {
    get bulkProgressed() {
      return hub.event;
    },
    jobProgressed: {
      listen: async (cb: JobListener) => {
        jobListeners.add(cb);
        return () => {
          jobListeners.delete(cb);
        };
      },
    },
  },
}));

afterEach(cleanup);

beforeEach(() => {
  bulkPlan.mockClear();
  accountsKeys.mockClear();
  bulkDiscard.mockClear();
});

const key = (panelId: string, nativeId: string): AccountKey => ({ panelId, nativeId });
const filtered = { ...initialQuery, search: "shop", statuses: ["active" as const], offset: 200, limit: 100 };

function open(selection: Selection, count = 3) {
  const onClose = vi.fn();
  renderWithClient(<BulkDialog selection={selection} query={filtered} count={count} onClose={onClose} />);
  return onClose;
}

const choose = (action: string) => fireEvent.change(screen.getByTestId("bulk-action"), { target: { value: action } });
const requestSent = () => {
  const [request] = bulkPlan.mock.calls[0] ?? [];
  if (!request) throw new Error("bulkPlan was not called");
  return request;
};

describe("bulk dialog: which accounts", () => {
  it("sends 'all matching the filter' as the query, not as a list of keys", async () => {
    open({ mode: "allMatching", excluded: new Set() }, 12_345);
    expect(screen.getByTestId("bulk-scope")).toHaveTextContent("All 12,345 accounts that match the filter.");
    choose("extendExpiry");
    fireEvent.change(screen.getByTestId("bulk-days"), { target: { value: "7" } });
    fireEvent.click(screen.getByTestId("bulk-preview"));

    await waitFor(() => expect(bulkPlan).toHaveBeenCalledTimes(1));
    expect(accountsKeys).not.toHaveBeenCalled();
    expect(requestSent()).toEqual({
      type: "change",
      selection: { type: "query", query: { ...filtered, offset: 0 } },
      action: { type: "extendExpiry", days: 7 },
    });
  });

  it("leaves out the rows un-ticked from an all-matching selection", async () => {
    const keys = [key("p1", "a"), key("p1", "b"), key("p2", "c")];
    accountsKeys.mockResolvedValueOnce(ok(keys));
    open({ mode: "allMatching", excluded: new Set([keyId(key("p1", "b"))]) }, 2);
    fireEvent.click(screen.getByTestId("bulk-preview"));

    await waitFor(() => expect(bulkPlan).toHaveBeenCalledTimes(1));
    expect(accountsKeys).toHaveBeenCalledWith({ ...filtered, offset: 0 });
    expect(requestSent()).toEqual({
      type: "change",
      selection: { type: "keys", keys: [key("p1", "a"), key("p2", "c")] },
      action: { type: "enable" },
    });
  });

  it("sends picked rows as their keys", async () => {
    const a = key("p1", "alice");
    const c = key("p2", "carol@example.com");
    open({ mode: "keys", keys: new Map([[keyId(a), a], [keyId(c), c]]), anchor: 1 }, 2);
    choose("delete");
    fireEvent.click(screen.getByTestId("bulk-keep-traffic"));
    fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(bulkPlan).toHaveBeenCalledTimes(1));
    expect(requestSent()).toEqual({
      type: "change",
      selection: { type: "keys", keys: [a, c] },
      action: { type: "delete", keepTraffic: true },
    });
  });
});

describe("bulk dialog: the action", () => {
  const all: Selection = { mode: "allMatching", excluded: new Set() };

  it("does not plan while an input is invalid, and says what is wrong under the field", async () => {
    open(all);
    choose("addTraffic");
    fireEvent.change(screen.getByTestId("bulk-gib"), { target: { value: "lots" } });
    fireEvent.click(screen.getByTestId("bulk-preview"));
    expect(await screen.findByText("Enter an amount of gigabytes greater than 0.")).toBeInTheDocument();
    expect(bulkPlan).not.toHaveBeenCalled();
    expect(screen.getByTestId("bulk-preview")).toBeDisabled();

    fireEvent.change(screen.getByTestId("bulk-gib"), { target: { value: "1,5" } });
    fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(bulkPlan).toHaveBeenCalledTimes(1));
    expect(requestSent()).toMatchObject({ action: { type: "addTraffic", bytes: 1.5 * 1024 ** 3 } });
  });

  it("sends an unlimited traffic limit as null", async () => {
    open(all);
    choose("setTrafficLimit");
    fireEvent.click(screen.getByTestId("bulk-unlimited"));
    fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(bulkPlan).toHaveBeenCalledTimes(1));
    expect(requestSent()).toMatchObject({ action: { type: "setTrafficLimit", bytes: null } });
  });

  it("shows Rust's field error under the field it names", async () => {
    bulkPlan.mockResolvedValueOnce({
      status: "error",
      error: { code: "invalid_input", message: "group: Enter a group name.", fields: [{ field: "group", problem: { code: "required" }, message: "Enter a group name." }], fingerprint: null, changes: [] },
    });
    open(all);
    choose("addToGroup");
    fireEvent.change(screen.getByTestId("bulk-group"), { target: { value: "vip" } });
    fireEvent.click(screen.getByTestId("bulk-preview"));
    const message = await screen.findByText("Fill this in.");
    expect(message.closest(".field")?.querySelector("input[name=group]")).toBe(screen.getByTestId("bulk-group"));
  });

  it("previews the plan, and going back discards it", async () => {
    open(all);
    fireEvent.click(screen.getByTestId("bulk-preview"));
    expect(await screen.findByTestId("bulk-run-panel")).toBeInTheDocument();
    expect(screen.getByText("Never expires, so there is nothing to extend.")).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("bulk-back"));
    await waitFor(() => expect(bulkDiscard).toHaveBeenCalledWith(samplePlan().id));
    expect(await screen.findByTestId("bulk-action")).toBeInTheDocument();
  });

  it("discards a previewed plan when the dialog is closed with Escape", async () => {
    const onClose = open(all);
    fireEvent.click(screen.getByTestId("bulk-preview"));
    await screen.findByTestId("bulk-run-panel");
    // A real Escape goes to the focused element and bubbles to the document.
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
    await waitFor(() => expect(bulkDiscard).toHaveBeenCalledWith(samplePlan().id));
  });
});

describe("bulk dialog: a long preview", () => {
  it("shows how far the preview is and stops it on Cancel", async () => {
    let fail: (e: unknown) => void = () => {};
    bulkPlan.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          fail = resolve;
        }),
    );
    jobCancel.mockImplementationOnce(async () => {
      fail({ status: "error", error: { code: "cancelled", message: "cancelled", fields: [], fingerprint: null, changes: [] } });
      return true;
    });
    open({ mode: "allMatching", excluded: new Set() }, 100_000);
    choose("extendExpiry");
    fireEvent.change(screen.getByTestId("bulk-days"), { target: { value: "7" } });
    fireEvent.click(screen.getByTestId("bulk-preview"));
    await waitFor(() => expect(bulkPlan).toHaveBeenCalled());
    const jobId = bulkPlan.mock.calls[0]?.[1] ?? "";
    await waitFor(() => expect(jobListeners.size).toBeGreaterThan(0));
    act(() => {
      jobListeners.forEach((l) => l({ payload: { jobId, step: { phase: "planning", done: 25_000, total: 100_000 } } }));
      jobListeners.forEach((l) => l({ payload: { jobId: "another", step: { phase: "planning", done: 99_999, total: 100_000 } } }));
    });
    expect(await screen.findByTestId("bulk-preview-progress-text")).toHaveTextContent("25,000 of 100,000");
    fireEvent.click(screen.getByTestId("bulk-preview-progress-cancel"));
    expect(jobCancel).toHaveBeenCalledWith(jobId);
    expect(await screen.findByTestId("bulk-preview-cancelled")).toBeInTheDocument();
    expect(screen.queryByTestId("bulk-preview-progress")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
