import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";

import type { PanelView } from "../api/types";
import { PanelDialog } from "./PanelDialog";

const PINNED = "AA:".repeat(31) + "AA";
const PRESENTED = "BB:".repeat(31) + "BB";

const panelsTestDraft = vi.fn(async () => ({
  status: "error",
  error: { code: "certificate_mismatch", message: "the certificate changed", fields: [], fingerprint: PRESENTED },
}));

vi.mock("../bindings", () => ({
  commands: { panelsTestDraft: () => panelsTestDraft() },
  events: {},
}));

const panel: PanelView = {
  id: "m1",
  name: "Helsinki",
  kind: "marzban",
  baseUrl: "https://m1.example/",
  color: "#16a34a",
  tag: "",
  pinnedCert: PINNED,
  settings: { username: "admin", keyInQuery: false },
  createdAt: 0,
  updatedAt: 0,
};

afterEach(cleanup);

it("warns of a possible interception when a pinned certificate changed, showing both fingerprints", async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <PanelDialog editing={panel} secretStore="memory" onClose={() => {}} />
    </QueryClientProvider>,
  );
  fireEvent.click(screen.getByTestId("test-connection"));
  const notice = await screen.findByTestId("cert-changed");
  expect(notice).toHaveTextContent("The certificate changed since you pinned it");
  expect(notice).toHaveTextContent("This can be an interception. Re-pin only if you changed the panel's certificate yourself.");
  expect(notice).toHaveTextContent(`Pinned:${PINNED}`);
  expect(notice).toHaveTextContent(`Presented now:${PRESENTED}`);
  // Never offered for pinning with one click, unlike a first-seen certificate.
  expect(screen.queryByText("Trust this certificate")).toBeNull();
});
