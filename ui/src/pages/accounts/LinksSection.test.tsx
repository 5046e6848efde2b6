import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AccountDetail } from "../../api/types";
import { LinksSection } from "./LinksSection";

const VLESS = "vless://0f6c7d2e-1111-2222-3333-444455556666@h.example:443?security=reality#alice";
const SUB = "https://h.example/sub/alice-token";
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/></svg>';

type Result = { status: "ok"; data: unknown } | { status: "error"; error: unknown };
const accountLinks = vi.fn<(...args: unknown[]) => Promise<Result>>();
const linkQr = vi.fn<(...args: unknown[]) => Promise<Result>>();

vi.mock("../../bindings", () => ({
  commands: {
    accountLinks: (...args: unknown[]) => accountLinks(...args),
    linkQr: (...args: unknown[]) => linkQr(...args),
  },
  events: {},
}));

function detail(kind: AccountDetail["account"]["kind"]): AccountDetail {
  // Only what LinksSection reads; the rest of the record does not matter here.
  return {
    account: { key: { panelId: "p1", nativeId: "alice" }, kind, name: "alice" },
  } as unknown as AccountDetail;
}

function show(kind: AccountDetail["account"]["kind"] = "marzban") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <LinksSection detail={detail(kind)} />
    </QueryClientProvider>,
  );
}

const clipboard = Object.getOwnPropertyDescriptor(navigator, "clipboard");

beforeEach(() => {
  accountLinks.mockReset();
  linkQr.mockReset();
  accountLinks.mockResolvedValue({
    status: "ok",
    data: [
      { label: "alice (vless)", url: VLESS, kind: "share" },
      { label: "Subscription", url: SUB, kind: "subscription" },
    ],
  });
  linkQr.mockResolvedValue({ status: "ok", data: SVG });
});

afterEach(() => {
  cleanup();
  if (clipboard) Object.defineProperty(navigator, "clipboard", clipboard);
  else Reflect.deleteProperty(navigator, "clipboard");
  Reflect.deleteProperty(document, "execCommand");
});

describe("account links", () => {
  it("lists each link with its label, kind and URL in a left-to-right box", async () => {
    show();
    const section = await screen.findByTestId("account-links");
    await within(section).findByText("alice (vless)");
    expect(accountLinks).toHaveBeenCalledWith({ panelId: "p1", nativeId: "alice" });
    expect(within(section).getByText("Share link")).toBeInTheDocument();
    expect(within(section).getByText("Subscription", { selector: ".badge" })).toBeInTheDocument();
    const url = within(section).getByText(VLESS);
    expect(url).toHaveAttribute("dir", "ltr");
    expect(url).toHaveClass("mono");
  });

  it("copies the URL and says Copied", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    show();
    await screen.findByText("alice (vless)");
    const [first] = screen.getAllByTestId("link-copy");
    if (!first) throw new Error("no copy button");
    expect(first).toHaveTextContent("Copy");
    fireEvent.click(first);
    await waitFor(() => expect(first).toHaveTextContent("Copied"));
    expect(writeText).toHaveBeenCalledWith(VLESS);
    // Only the pressed button changes.
    expect(screen.getAllByTestId("link-copy")[1]).toHaveTextContent(/^Copy$/);
  });

  it("falls back to a hidden text area when the clipboard API is missing", async () => {
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: undefined });
    let copied = "";
    const execCommand = vi.fn((command: string) => {
      copied = command === "copy" ? (document.querySelector("textarea")?.value ?? "") : "";
      return true;
    });
    Object.defineProperty(document, "execCommand", { configurable: true, value: execCommand });
    show();
    await screen.findByText("Subscription", { selector: ".link-label" });
    fireEvent.click(screen.getAllByTestId("link-copy")[1] as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId("link-copy")[1]).toHaveTextContent("Copied"));
    expect(execCommand).toHaveBeenCalledWith("copy");
    expect(copied).toBe(SUB);
    // The helper text area is gone again.
    expect(document.querySelector("textarea")).toBeNull();
  });

  it("says so when copying fails", async () => {
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: { writeText: vi.fn(async () => Promise.reject(new Error("denied"))) },
    });
    Object.defineProperty(document, "execCommand", { configurable: true, value: vi.fn(() => false) });
    show();
    await screen.findByText("alice (vless)");
    fireEvent.click(screen.getAllByTestId("link-copy")[0] as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId("link-copy")[0]).toHaveTextContent("Could not copy"));
  });

  it("shows the QR code Rust drew as an image in a dialog", async () => {
    show();
    await screen.findByText("alice (vless)");
    fireEvent.click(screen.getAllByTestId("link-qr")[0] as HTMLElement);
    const dialog = await screen.findByRole("dialog");
    const img = await within(dialog).findByTestId("qr-image");
    expect(linkQr).toHaveBeenCalledWith(VLESS);
    const src = img.getAttribute("src") ?? "";
    expect(src.startsWith("data:image/svg+xml")).toBe(true);
    expect(decodeURIComponent(src.slice(src.indexOf(",") + 1))).toBe(SVG);
    // The markup is never parsed into the page.
    expect(dialog.querySelector("svg")).toBeNull();
    fireEvent.click(within(dialog).getByText("Close"));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("shows a failure to load the links", async () => {
    accountLinks.mockResolvedValue({
      status: "error",
      error: { code: "timeout", message: "no answer in 15 s", fields: [], fingerprint: null, changes: [] },
    });
    show("xui");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveAttribute("data-code", "timeout");
    expect(alert).toHaveTextContent("no answer in 15 s");
  });

  it("asks nothing for a Pterodactyl subuser", () => {
    show("pterodactyl");
    expect(screen.queryByTestId("account-links")).toBeNull();
    expect(accountLinks).not.toHaveBeenCalled();
  });
});
