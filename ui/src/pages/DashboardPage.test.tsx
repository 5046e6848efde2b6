import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import i18n from "../i18n";

import type { AccountRow, Dashboard } from "../api/types";
import { AccountsViewProvider, useAccountsView } from "./accounts/AccountsView";
import { ok, renderWithClient } from "./bulk/testing";
import { DashboardPage } from "./DashboardPage";

const row = (i: number): AccountRow => ({
  key: { panelId: "p1", nativeId: `u${i}` },
  panelName: "Frankfurt",
  panelColor: "#36c",
  kind: "marzban",
  name: `user-${i}`,
  email: null,
  status: "depleted",
  usedBytes: 10 * 1024 ** 3,
  limitBytes: 10 * 1024 ** 3,
  expiresAtMs: null,
  online: null,
  lastOnlineMs: null,
  group: null,
});

const dashboard: Dashboard = {
  panels: [],
  byStatus: [
    { status: "active", count: 40 },
    { status: "depleted", count: 26 },
  ],
  totalAccounts: 66,
  totalUsedBytes: 0,
  topUsage: [],
  usageBuckets: [
    { fromBytes: 0, toBytes: 1, count: 3 },
    { fromBytes: 1, toBytes: 1024 ** 3, count: 5 },
    { fromBytes: 1024 ** 3, toBytes: 10 * 1024 ** 3, count: 1200 },
    { fromBytes: 200 * 1024 ** 3, toBytes: null, count: 0 },
  ],
  expiringSoon: [],
  expiringSoonCount: 0,
  expiringDays: 7,
  depleted: Array.from({ length: 10 }, (_, i) => row(i)),
  depletedCount: 26,
  nowMs: Date.now(),
};

vi.mock("../bindings", () => ({
  commands: { dashboardGet: async () => ok(dashboard) },
  events: {},
}));

afterEach(() => {
  cleanup();
  window.location.hash = "";
});

/** Shows the accounts table's query as the dashboard left it. */
function QueryProbe() {
  const [query] = useAccountsView();
  return <output data-testid="probe">{JSON.stringify(query)}</output>;
}

const shown = () => JSON.parse(screen.getByTestId("probe").textContent ?? "{}");

describe("dashboard", () => {
  const setup = () =>
    renderWithClient(
      <AccountsViewProvider>
        <DashboardPage />
        <QueryProbe />
      </AccountsViewProvider>,
    );

  it("opens the table filtered by the status a card counts", async () => {
    setup();
    fireEvent.click(await screen.findByTestId("dash-status-depleted"));
    expect(window.location.hash).toBe("#/accounts");
    expect(shown().statuses).toEqual(["depleted"]);
  });

  it("says how many a list leaves out and opens all of them", async () => {
    setup();
    const more = await screen.findByTestId("dash-depleted-more");
    expect(more.textContent).toContain("16");
    fireEvent.click(more);
    await waitFor(() => expect(window.location.hash).toBe("#/accounts"));
    expect(shown()).toMatchObject({ statuses: ["depleted"], sort: "used", descending: true });
  });

  it("shows no 'more' link when the list is whole", async () => {
    setup();
    await screen.findByTestId("dash-expiring");
    expect(screen.queryByTestId("dash-expiring-more")).toBeNull();
  });

  it("words the usage ranges in the UI's digits", async () => {
    await i18n.changeLanguage("fa");
    try {
      setup();
      for (const label of ["< ۱ GiB", "۱–۱۰ GiB", "≥ ۲۰۰ GiB"]) expect(await screen.findByText(label)).toBeInTheDocument();
      expect(screen.getByText("۱٬۲۰۰")).toBeInTheDocument();
    } finally {
      await i18n.changeLanguage("en");
    }
  });
});
