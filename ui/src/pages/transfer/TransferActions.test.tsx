import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { AccountQuery, PanelView } from "../../api/types";
import { keyId, type Selection } from "../accounts/selection";
import { TransferActions } from "./TransferActions";

type Result = { status: "ok"; data: unknown };
const accountsKeys = vi.fn<(...args: unknown[]) => Promise<Result>>();
const accountsExport = vi.fn<(...args: unknown[]) => Promise<Result>>(async () => ({ status: "ok", data: { accounts: 2, bytes: 10 } }));

vi.mock("../../bindings", () => ({
  commands: {
    accountsKeys: (...args: unknown[]) => accountsKeys(...args),
    accountsExport: (...args: unknown[]) => accountsExport(...args),
    defaultPath: async (name: string) => `/d/${name}`,
  },
  events: { jobProgressed: { listen: async () => () => {} } },
}));
vi.mock("../bulk/BulkRunPanel", () => ({ BulkRunPanel: () => null }));

const panel = { id: "p", name: "Helsinki", kind: "marzban" } as PanelView;
const k = (n: string) => ({ panelId: "p", nativeId: n });
const query: AccountQuery = {
  search: "eu",
  panelIds: ["p"],
  kinds: [],
  statuses: ["active"],
  expiringWithinDays: null,
  depleted: false,
  online: null,
  group: null,
  protocol: null,
  sort: "name",
  descending: false,
  offset: 0,
  limit: 100,
};

function show(selection: Selection, panels: PanelView[] = [panel]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TransferActions selection={selection} query={query} matched={1200} panels={panels} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  accountsKeys.mockReset();
  accountsExport.mockClear();
});

describe("transfer actions", () => {
  it("exports 'all that match' minus the unticked rows as their keys", async () => {
    accountsKeys.mockResolvedValue({ status: "ok", data: [k("a"), k("b"), k("c")] });
    show({ mode: "allMatching", excluded: new Set([keyId(k("b"))]) });
    fireEvent.click(screen.getByTestId("open-export"));
    expect(await screen.findByTestId("export-scope")).toHaveTextContent("2 selected");
    expect(accountsKeys).toHaveBeenCalledWith({ ...query, offset: 0 });
    await waitFor(() => expect((screen.getByTestId("export-path") as HTMLInputElement).value).toMatch(/^\/d\/paneldeck-accounts-.*\.csv$/));
    fireEvent.click(screen.getByTestId("export-run"));
    await screen.findByTestId("export-result");
    expect(accountsExport.mock.calls[0]?.[0]).toEqual({ type: "keys", keys: [k("a"), k("c")] });
  });

  it("exports the current filter when nothing is selected", async () => {
    show({ mode: "keys", keys: new Map(), anchor: null });
    fireEvent.click(screen.getByTestId("open-export"));
    expect(await screen.findByTestId("export-scope")).toHaveTextContent("all 1,200 matching");
    expect(accountsKeys).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId("export-run")).toBeEnabled());
    fireEvent.click(screen.getByTestId("export-run"));
    await screen.findByTestId("export-result");
    expect(accountsExport.mock.calls[0]?.[0]).toEqual({ type: "query", query: { ...query, offset: 0 } });
  });

  it("needs two panels to migrate", () => {
    show({ mode: "keys", keys: new Map(), anchor: null });
    expect(screen.getByTestId("open-migrate")).toBeDisabled();
    expect(screen.getByTestId("open-import")).toBeEnabled();
  });
});
