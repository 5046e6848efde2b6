import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { accountKeys } from "../../api/accounts";
import type { ApiError, BulkReport } from "../../api/types";
import { formatDateTime } from "../../util/format";
import { BulkRunPanel } from "./BulkRunPanel";
import {
  ALICE_AFTER,
  ALICE_BEFORE,
  counts,
  deferred,
  failure,
  item,
  ok,
  progressHub,
  renderWithClient,
  report,
  samplePlan,
} from "./testing";

const hub = progressHub();
type RunResult = { status: "ok"; data: BulkReport } | { status: "error"; error: ApiError };
let runs: { opId: string; mode: string; done: ReturnType<typeof deferred<RunResult>> }[] = [];
const bulkRun = vi.fn((opId: string, mode: string) => {
  const done = deferred<RunResult>();
  runs.push({ opId, mode, done });
  return done.promise;
});
const bulkCancel = vi.fn<(opId: string) => Promise<boolean>>(async () => true);
const bulkDiscard = vi.fn<(opId: string) => Promise<unknown>>(async () => ok(null));

vi.mock("../../bindings", () => ({
  commands: {
    bulkRun: (opId: string, mode: string) => bulkRun(opId, mode),
    bulkCancel: (opId: string) => bulkCancel(opId),
    bulkDiscard: (opId: string) => bulkDiscard(opId),
  },
  events: {
    get bulkProgressed() {
      return hub.event;
    },
  },
}));

afterEach(cleanup);

beforeEach(() => {
  runs = [];
  bulkRun.mockClear();
  bulkCancel.mockClear();
  bulkDiscard.mockClear();
});

const lastRun = () => {
  const r = runs.at(-1);
  if (!r) throw new Error("bulkRun was not called");
  return { resolve: (rep: BulkReport) => r.done.resolve(ok(rep)), fail: (error: ApiError) => r.done.resolve({ status: "error", error }) };
};

describe("bulk run panel: the plan", () => {
  it("shows totals, each panel's items with before → after, and skip reasons in words", () => {
    renderWithClient(<BulkRunPanel plan={samplePlan()} onClose={() => {}} />);
    const totals = screen.getByTestId("bulk-totals");
    expect(totals).toHaveTextContent("2 to change");
    expect(totals).toHaveTextContent("1 skipped");

    const helsinki = screen.getByTestId("bulk-panel-p1");
    expect(within(helsinki).getByText("Helsinki")).toBeInTheDocument();
    const [alice, bob] = within(helsinki).getAllByTestId("bulk-item");
    if (!alice || !bob) throw new Error("two items expected");
    expect(alice).toHaveTextContent("alice");
    expect(alice).toHaveTextContent(`Expiry: ${formatDateTime(ALICE_BEFORE, "en")} → ${formatDateTime(ALICE_AFTER, "en")}`);
    expect(bob).toHaveTextContent("bob");
    expect(bob).toHaveTextContent("Never expires, so there is nothing to extend.");
    expect(bob.querySelector(".bulk-skip")).toHaveAttribute("title", "Not changed: it never expires.");
    expect(within(screen.getByTestId("bulk-panel-p2")).getByTestId("bulk-item")).toHaveTextContent("carol@example.com");
  });

  it("renders a capped window of a ten-thousand-item plan, with the rest counted", () => {
    const plan = samplePlan();
    const many = Array.from({ length: 10_000 }, (_, i) => item(i + 1, "p1", `user-${i + 1}`));
    plan.panels = [{ panelId: "p1", panelName: "Helsinki", kind: "marzban", items: many, toChange: 10_000, skipped: 0 }];
    plan.toChange = 10_000;
    plan.skipped = 0;
    renderWithClient(<BulkRunPanel plan={plan} onClose={() => {}} />);
    expect(screen.getAllByTestId("bulk-item").length).toBe(50);
    expect(screen.getByTestId("bulk-more")).toHaveTextContent("and 9,950 more");
    fireEvent.click(screen.getByText("Show more"));
    expect(screen.getAllByTestId("bulk-item").length).toBe(250);
    expect(screen.getByText("user-250")).toBeInTheDocument();
    expect(screen.queryByText("user-251")).not.toBeInTheDocument();
  });

  it("filters to the skipped items", () => {
    renderWithClient(<BulkRunPanel plan={samplePlan()} onClose={() => {}} />);
    fireEvent.click(screen.getByLabelText("Skipped"));
    const items = screen.getAllByTestId("bulk-item");
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent("bob");
  });

  it("discards an unexecuted plan", async () => {
    const onClose = vi.fn();
    const plan = samplePlan();
    renderWithClient(<BulkRunPanel plan={plan} onClose={onClose} />);
    fireEvent.click(screen.getByTestId("bulk-discard"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(bulkDiscard).toHaveBeenCalledWith(plan.id);
    expect(bulkRun).not.toHaveBeenCalled();
  });
});

describe("bulk run panel: running", () => {
  it("runs the plan, follows its progress events and refreshes the accounts at the end", async () => {
    const plan = samplePlan();
    const { client } = renderWithClient(<BulkRunPanel plan={plan} onClose={() => {}} />);
    const invalidate = vi.spyOn(client, "invalidateQueries");
    await waitFor(() => expect(hub.count).toBeGreaterThan(0));

    fireEvent.click(screen.getByTestId("bulk-run"));
    expect(bulkRun).toHaveBeenCalledWith(plan.id, "execute");
    expect(screen.getByTestId("bulk-cancel")).toBeInTheDocument();
    // Before any event: the plan's own counts.
    expect(screen.getByTestId("bulk-counts-p2")).toHaveAttribute("data-left", "1");

    // Another operation's events are ignored; this one's move the bars.
    hub.emit({ opId: "someone-else", panelId: "p2", panelName: "Frankfurt", counts: counts({ total: 1, failed: 1 }) });
    hub.emit({ opId: plan.id, panelId: "p1", panelName: "Helsinki", counts: counts({ total: 2, done: 1, skipped: 1 }) });
    await waitFor(() => expect(screen.getByTestId("bulk-counts-p1")).toHaveAttribute("data-done", "1"));
    expect(screen.getByTestId("bulk-counts-p1")).toHaveAttribute("data-left", "0");
    expect(screen.getByTestId("bulk-counts-p2")).toHaveAttribute("data-failed", "0");
    expect(screen.getByTestId("bulk-done")).toHaveAttribute("data-done", "1");
    expect(screen.getByTestId("bulk-done")).toHaveAttribute("data-left", "1");
    expect(within(screen.getByTestId("bulk-progress-p1")).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "2");

    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: accountKeys.all });
    lastRun().resolve(report(plan));
    expect(await screen.findByTestId("bulk-report")).toHaveTextContent("Done: 2 accounts changed.");
    expect(screen.getByTestId("bulk-done")).toHaveAttribute("data-done", "2");
    expect(invalidate).toHaveBeenCalledWith({ queryKey: accountKeys.all });
    expect(screen.queryByTestId("bulk-retry")).not.toBeInTheDocument();
    expect(screen.queryByTestId("bulk-resume")).not.toBeInTheDocument();
  });

  it("cancel asks Rust to stop, and a cancelled run offers to resume", async () => {
    const plan = samplePlan();
    renderWithClient(<BulkRunPanel plan={plan} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("bulk-run"));
    fireEvent.click(screen.getByTestId("bulk-cancel"));
    await waitFor(() => expect(bulkCancel).toHaveBeenCalledWith(plan.id));
    expect(screen.getByTestId("bulk-cancel")).toBeDisabled();

    lastRun().resolve(
      report(plan, { state: "cancelled", cancelled: true, counts: counts({ total: 3, done: 1, skipped: 1, left: 1 }) }),
    );
    expect(await screen.findByTestId("bulk-report")).toHaveTextContent("Cancelled: 1 done, 1 not started.");
    fireEvent.click(screen.getByTestId("bulk-resume"));
    expect(bulkRun).toHaveBeenLastCalledWith(plan.id, "resume");
  });

  it("lists the failures with their messages and retries only those", async () => {
    const plan = samplePlan();
    renderWithClient(<BulkRunPanel plan={plan} onClose={() => {}} autoStart />);
    await waitFor(() => expect(bulkRun).toHaveBeenCalledTimes(1));
    expect(bulkRun).toHaveBeenCalledWith(plan.id, "execute");

    lastRun().resolve(
      report(plan, {
        counts: counts({ total: 3, done: 1, failed: 1, skipped: 1 }),
        failures: [failure(3, "carol@example.com", "the panel answered 502 Bad Gateway")],
      }),
    );
    const failures = await screen.findByTestId("bulk-failures");
    expect(failures).toHaveTextContent("carol@example.com");
    expect(failures).toHaveTextContent("The panel failed to handle the request.");
    expect(failures).toHaveTextContent("the panel answered 502 Bad Gateway");
    expect(screen.getByTestId("bulk-report")).toHaveTextContent("Finished with 1 failure (1 done).");

    fireEvent.click(screen.getByTestId("bulk-retry"));
    expect(bulkRun).toHaveBeenLastCalledWith(plan.id, "retryFailed");
    expect(screen.getByTestId("bulk-cancel")).toBeInTheDocument();
    lastRun().resolve(report(plan));
    await waitFor(() => expect(screen.queryByTestId("bulk-failures")).not.toBeInTheDocument());
    expect(screen.queryByTestId("bulk-retry")).not.toBeInTheDocument();
  });

  it("shows the error when the run cannot start, and offers to resume", async () => {
    const plan = samplePlan();
    renderWithClient(<BulkRunPanel plan={plan} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("bulk-run"));
    lastRun().fail({ code: "conflict", message: "operation 0f3c is already running", fields: [], fingerprint: null, changes: [] });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("It already exists.");
    expect(alert).toHaveTextContent("operation 0f3c is already running");
    expect(screen.getByTestId("bulk-resume")).toBeInTheDocument();
  });
});
