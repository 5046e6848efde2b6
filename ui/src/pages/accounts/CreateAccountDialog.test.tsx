import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { PanelView } from "../../api/types";
import { chooseOption } from "../../test/combobox";
import { CreateAccountDialog } from "./CreateAccountDialog";
import { panelView } from "../../test/panels";

// The panel's own 422 as Rust hands it over: `ApiError.fields` named after the form's fields.
const rejected = {
  status: "error",
  error: {
    code: "panel_rejected",
    message: "the panel rejected the request: username: Username only can be 3 to 32 characters",
    fields: [
      {
        field: "username",
        problem: { code: "panel", text: "Username only can be 3 to 32 characters" },
        message: "Username only can be 3 to 32 characters",
      },
    ],
    fingerprint: null,
    changes: [],
  },
};

const xuiOptions = vi.hoisted(() => ({
  kind: "xui",
  inbounds: [
    { id: 1, protocol: "vless", remark: "reality-443", port: 443, enable: true },
    { id: 2, protocol: "trojan", remark: "trojan-8443", port: 8443, enable: true },
  ],
}));

const accountCreate = vi.fn<(...args: unknown[]) => Promise<typeof rejected>>(async () => rejected);

vi.mock("../../bindings", () => ({
  commands: {
    accountCreateOptions: async (panelId: string) => ({ status: "ok", data: panelId === "x1" ? xuiOptions : { kind: "marzban", inbounds: [], templates: [] } }),
    accountCreate: (...args: unknown[]) => accountCreate(...args),
  },
  events: {},
}));

const panel = panelView("p1", "Helsinki", "marzban");

afterEach(cleanup);

describe("create account", () => {
  it("shows the panel's validation message under the offending field", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <CreateAccountDialog panels={[panel]} onClose={() => {}} />
      </QueryClientProvider>,
    );
    const name = document.querySelector<HTMLInputElement>("input[name=accountName]");
    if (!name) throw new Error("no username field");
    fireEvent.change(name, { target: { value: "a" } });
    fireEvent.click(screen.getByTestId("create-account"));

    await waitFor(() => expect(accountCreate).toHaveBeenCalledTimes(1));
    const [panelId, account] = accountCreate.mock.calls[0] ?? [];
    expect(panelId).toBe("p1");
    expect(account).toMatchObject({ kind: "marzban", username: "a", proxies: ["vless"] });

    const message = await screen.findByText("Username only can be 3 to 32 characters");
    expect(message.closest(".field")?.querySelector("input[name=accountName]")).toBe(name);
  });

  it("creates on the panel picked by typing part of its name", async () => {
    accountCreate.mockClear();
    const other: PanelView = { ...panel, id: "p2", name: "Amsterdam edge" };
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <CreateAccountDialog panels={[panel, other]} onClose={() => {}} />
      </QueryClientProvider>,
    );
    expect(screen.getByRole("combobox", { name: "Panel" })).toHaveTextContent("Helsinki");
    chooseOption("create-panel", "edge");
    expect(screen.getByRole("combobox", { name: "Panel" })).toHaveTextContent("Amsterdam edge");
    const name = document.querySelector<HTMLInputElement>("input[name=accountName]");
    if (!name) throw new Error("no username field");
    fireEvent.change(name, { target: { value: "bob" } });
    fireEvent.click(screen.getByTestId("create-account"));
    await waitFor(() => expect(accountCreate).toHaveBeenCalledTimes(1));
    expect(accountCreate.mock.calls[0]?.[0]).toBe("p2");
  });

  it("attaches a 3x-ui client to the inbounds picked by typing", async () => {
    accountCreate.mockClear();
    const xui: PanelView = { ...panel, id: "x1", name: "Frankfurt", kind: "xui" };
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <CreateAccountDialog panels={[xui]} onClose={() => {}} />
      </QueryClientProvider>,
    );
    const picker = await screen.findByRole("combobox", { name: "Inbounds" });
    expect(picker).toHaveTextContent("None chosen");
    chooseOption("create-inbounds", "trojan");
    expect(picker).toHaveTextContent("trojan-8443");
    const name = document.querySelector<HTMLInputElement>("input[name=accountName]");
    if (!name) throw new Error("no email field");
    fireEvent.change(name, { target: { value: "eve" } });
    fireEvent.click(screen.getByTestId("create-account"));
    await waitFor(() => expect(accountCreate).toHaveBeenCalledTimes(1));
    expect(accountCreate.mock.calls[0]?.[1]).toMatchObject({ kind: "xui", email: "eve", inboundIds: [2] });
  });
});
