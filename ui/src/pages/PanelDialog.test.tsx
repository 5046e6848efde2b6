import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";

import type { PanelView } from "../api/types";
import { PanelDialog } from "./PanelDialog";

const PINNED = "AA:".repeat(31) + "AA";
const PRESENTED = "BB:".repeat(31) + "BB";

const panelsTestDraft = vi.fn(async () => ({
  status: "error",
  error: { code: "certificate_mismatch", message: "the certificate changed", fields: [], fingerprint: PRESENTED },
}));

const panelsUpdate = vi.fn(async (...args: unknown[]) => ({ status: "ok", data: { ...panel, settings: { ...panel.settings, maxAnswerMib: args[3] } } }));

vi.mock("../bindings", () => ({
  commands: {
    panelsTestDraft: () => panelsTestDraft(),
    panelsUpdate: (...args: unknown[]) => panelsUpdate(...args),
  },
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

function renderDialog(editing: PanelView) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <PanelDialog editing={editing} secretStore="memory" onClose={() => {}} />
    </QueryClientProvider>,
  );
}

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

it("shows the panel's answer cap, refuses bad input in words and saves a good one", async () => {
  renderDialog({ ...panel, settings: { ...panel.settings, maxAnswerMib: 512 } });
  const cap = screen.getByRole("textbox", { name: /Largest answer \(MiB\)/ });
  expect(cap).toHaveValue("512");

  fireEvent.change(cap, { target: { value: "0" } });
  expect(screen.getByRole("alert")).toHaveTextContent("From 1 to 4,096 MiB; leave it empty for the default.");
  fireEvent.click(screen.getByTestId("save-panel"));
  fireEvent.change(cap, { target: { value: "lots" } });
  expect(screen.getByRole("alert")).toHaveTextContent("Enter a whole number of MiB, e.g. 256, or leave it empty for the default.");
  fireEvent.click(screen.getByTestId("save-panel"));
  expect(panelsUpdate).not.toHaveBeenCalled();

  fireEvent.change(cap, { target: { value: "" } });
  expect(screen.getByText("Empty = the default, 128 MiB. Raise it only for a panel whose account list is larger; up to 4,096 MiB.")).toBeInTheDocument();
  fireEvent.change(cap, { target: { value: "2048" } });
  fireEvent.click(screen.getByTestId("save-panel"));
  await waitFor(() => expect(panelsUpdate).toHaveBeenCalledTimes(1));
  expect(panelsUpdate.mock.calls[0]?.[3]).toBe(2048);
});
