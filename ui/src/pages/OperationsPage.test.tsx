import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ItemRecord, OpSummary } from "../api/types";
import { InterruptedNotice } from "./bulk/InterruptedNotice";
import { counts, failure, ok, progressHub, renderWithClient, report, samplePlan, textTitle } from "./bulk/testing";
import { OperationsPage } from "./OperationsPage";

const hub = progressHub();
const plan = samplePlan();

const summary = (opId: string, extra: Partial<OpSummary>): OpSummary => ({
  opId,
  title: textTitle(`Operation ${opId}`),
  actor: "alex",
  state: "finished",
  interrupted: false,
  createdAtMs: Date.now() - 3_600_000,
  startedAtMs: Date.now() - 3_600_000,
  finishedAtMs: Date.now() - 3_500_000,
  counts: counts({ total: 3, done: 3 }),
  ...extra,
});

let history: OpSummary[] = [];
const items: ItemRecord[] = [
  {
    ...failure(1, "alice", "ok"),
    state: "done",
    error: null,
    message: { code: "action", outcome: { code: "clientSavedAs", email: "alice2" } },
  },
  failure(2, "carol@example.com", "the panel answered 502 Bad Gateway"),
];
const bulkHistory = vi.fn(async () => ok(history));
const bulkRun = vi.fn<(opId: string, mode: string) => Promise<unknown>>(async () => ok(report(plan)));
const bulkExportHistory = vi.fn<(opId: string, format: string, path: string) => Promise<unknown>>(async () => ok(null));
const pickPath = vi.fn<(kind: string, suggested: string | null) => Promise<unknown>>(async () => ok("/home/alex/journal.csv"));

vi.mock("../bindings", () => ({
  commands: {
    bulkHistory: () => bulkHistory(),
    bulkItems: async () => ok(items),
    bulkPlanGet: async (opId: string) => ok({ ...plan, id: opId }),
    bulkStatus: async () => ok(report(plan, { counts: counts({ total: 3, done: 1, skipped: 1, left: 1 }) })),
    bulkRun: (opId: string, mode: string) => bulkRun(opId, mode),
    bulkCancel: async () => true,
    bulkExportHistory: (opId: string, format: string, path: string) => bulkExportHistory(opId, format, path),
    defaultPath: async (name: string) => `/home/alex/Downloads/${name}`,
    pickPath: (kind: string, suggested: string | null) => pickPath(kind, suggested),
  },
  events: {
    get bulkProgressed() {
      return hub.event;
    },
  },
}));

afterEach(cleanup);

beforeEach(() => {
  bulkHistory.mockClear();
  bulkRun.mockClear();
  bulkExportHistory.mockClear();
  pickPath.mockClear();
  sessionStorage.clear();
  history = [
    summary("aaaaaaaa-0001", { title: textTitle("Enable · 3 accounts on 1 panel") }),
    summary("bbbbbbbb-0002", { title: textTitle("Delete · 2 accounts"), counts: counts({ total: 2, done: 1, failed: 1 }) }),
    summary("cccccccc-0003", { title: textTitle("Extend expiry · 3 accounts"), state: "running", interrupted: true, counts: counts({ total: 3, done: 1, left: 2 }) }),
  ];
});

describe("operations page", () => {
  it("puts interrupted operations first with Resume, and offers Retry failed after failures", async () => {
    renderWithClient(<OperationsPage />);
    const rows = await screen.findAllByTestId("ops-row");
    const [first, second, third] = rows;
    if (!first || !second || !third) throw new Error("three rows expected");
    expect(rows.map((r) => r.getAttribute("data-op"))).toEqual(["cccccccc-0003", "aaaaaaaa-0001", "bbbbbbbb-0002"]);
    expect(first).toHaveClass("interrupted");
    expect(within(first).getByText("Interrupted")).toBeInTheDocument();
    expect(within(first).getByTestId("ops-resume")).toBeInTheDocument();
    expect(within(second).queryByRole("button", { name: /Resume|Retry/ })).not.toBeInTheDocument();
    expect(within(third).getByTestId("ops-retry")).toHaveTextContent("Retry 1 failed");
    expect(within(third).getByText("alex")).toBeInTheDocument();
    expect(screen.getByTestId("ops-interrupted")).toHaveTextContent("1 operation was interrupted.");
  });

  it("resumes an interrupted operation with its stored plan", async () => {
    renderWithClient(<OperationsPage />);
    fireEvent.click(await screen.findByTestId("ops-resume"));
    await waitFor(() => expect(bulkRun).toHaveBeenCalledWith("cccccccc-0003", "resume"));
    expect(bulkRun).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId("bulk-report")).toHaveTextContent("Done: 2 accounts changed.");
  });

  it("opens an operation's items with their state and error", async () => {
    renderWithClient(<OperationsPage />);
    fireEvent.click(await screen.findByText("Delete · 2 accounts"));
    const list = await screen.findByTestId("ops-items");
    const [done, failed] = within(list).getAllByTestId("bulk-record");
    expect(done).toHaveTextContent("alice");
    expect(done).toHaveTextContent("Done");
    expect(done).toHaveTextContent("Client saved as alice2.");
    expect(failed).toHaveTextContent("Failed");
    expect(failed).toHaveTextContent("The panel failed");
    expect(failed).toHaveTextContent("the panel answered 502 Bad Gateway");
  });

  it("exports the journal to the default path, or to one picked with Browse…", async () => {
    renderWithClient(<OperationsPage />);
    fireEvent.click(await screen.findByText("Enable · 3 accounts on 1 panel"));
    const path = await screen.findByTestId("ops-export-path");
    await waitFor(() => expect(path).toHaveValue("/home/alex/Downloads/paneldeck-operation-aaaaaaaa.csv"));

    fireEvent.click(screen.getByLabelText("JSON"));
    expect(path).toHaveValue("/home/alex/Downloads/paneldeck-operation-aaaaaaaa.json");
    fireEvent.click(screen.getByTestId("ops-export"));
    await waitFor(() =>
      expect(bulkExportHistory).toHaveBeenCalledWith("aaaaaaaa-0001", "json", "/home/alex/Downloads/paneldeck-operation-aaaaaaaa.json"),
    );
    expect(await screen.findByText(/Saved to/)).toBeInTheDocument();

    fireEvent.click(screen.getByTestId("ops-export-browse"));
    await waitFor(() => expect(pickPath).toHaveBeenCalledWith("save", "/home/alex/Downloads/paneldeck-operation-aaaaaaaa.json"));
    await waitFor(() => expect(path).toHaveValue("/home/alex/journal.csv"));
  });

  it("refetches the history when a run reports progress", async () => {
    renderWithClient(<OperationsPage />);
    await screen.findAllByTestId("ops-row");
    history = [summary("dddddddd-0004", { title: textTitle("Disable · 9 accounts") }), ...history];
    hub.emit({ opId: "dddddddd-0004", panelId: "p1", panelName: "Helsinki", counts: counts({ total: 9, done: 1, left: 8 }) });
    expect(await screen.findByText("Disable · 9 accounts")).toBeInTheDocument();
  });
});

describe("interrupted notice", () => {
  it("links to the operations page while an operation is interrupted, until dismissed", async () => {
    const { unmount } = renderWithClient(<InterruptedNotice />);
    const notice = await screen.findByTestId("bulk-interrupted-notice");
    expect(within(notice).getByRole("link")).toHaveAttribute("href", "#/operations");
    fireEvent.click(within(notice).getByText("Dismiss"));
    expect(screen.queryByTestId("bulk-interrupted-notice")).not.toBeInTheDocument();
    unmount();
    bulkHistory.mockClear();
    renderWithClient(<InterruptedNotice />);
    await waitFor(() => expect(bulkHistory).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByTestId("bulk-interrupted-notice")).not.toBeInTheDocument();
  });

  it("says nothing when no operation was interrupted", async () => {
    history = history.filter((o) => !o.interrupted);
    renderWithClient(<InterruptedNotice />);
    await waitFor(() => expect(bulkHistory).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByTestId("bulk-interrupted-notice")).not.toBeInTheDocument();
  });
});
