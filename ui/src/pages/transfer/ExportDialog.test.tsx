import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isoDate } from "../../api/transfer";
import type { AccountSelection, JobStep } from "../../api/types";
import { ExportDialog } from "./ExportDialog";

type Result = { status: "ok"; data: unknown } | { status: "error"; error: unknown };
const accountsExport = vi.fn<(...args: unknown[]) => Promise<Result>>();
const linksExport = vi.fn<(...args: unknown[]) => Promise<Result>>();
const pickPath = vi.fn<(...args: unknown[]) => Promise<Result>>();
const defaultPath = vi.fn(async (name: string) => `/home/ann/Downloads/${name}`);
const jobCancel = vi.fn<(jobId: string) => Promise<boolean>>(async () => true);
type JobListener = (e: { payload: { jobId: string; step: JobStep } }) => void;
const jobListeners = new Set<JobListener>();

vi.mock("../../bindings", () => ({
  commands: {
    accountsExport: (...args: unknown[]) => accountsExport(...args),
    linksExport: (...args: unknown[]) => linksExport(...args),
    pickPath: (...args: unknown[]) => pickPath(...args),
    defaultPath: (name: string) => defaultPath(name),
    jobCancel: (jobId: string) => jobCancel(jobId),
  },
  events: {
    jobProgressed: {
      listen: async (cb: JobListener) => {
        jobListeners.add(cb);
        return () => jobListeners.delete(cb);
      },
    },
  },
}));
const jobId = expect.stringMatching(/^job-/);

const selection: AccountSelection = {
  type: "keys",
  keys: [
    { panelId: "p1", nativeId: "alice" },
    { panelId: "p2", nativeId: "bob" },
  ],
};
const today = isoDate();

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ExportDialog selection={selection} description="2 selected" onClose={() => {}} />
    </QueryClientProvider>,
  );
}

const pathField = () => screen.getByTestId("export-path") as HTMLInputElement;

beforeEach(() => {
  accountsExport.mockReset();
  linksExport.mockReset();
  pickPath.mockReset();
  defaultPath.mockClear();
  accountsExport.mockResolvedValue({ status: "ok", data: { accounts: 2, bytes: 2048 } });
});
afterEach(cleanup);

describe("export dialog", () => {
  it("exports the selection as CSV without credentials by default", async () => {
    show();
    expect(screen.getByTestId("export-scope")).toHaveTextContent("2 selected");
    await waitFor(() => expect(pathField().value).toBe(`/home/ann/Downloads/paneldeck-accounts-${today}.csv`));
    expect(pathField()).toHaveAttribute("dir", "ltr");
    expect(screen.getByTestId("export-credentials")).not.toBeChecked();
    expect(screen.queryByTestId("export-credentials-warning")).toBeNull();

    fireEvent.click(screen.getByTestId("export-run"));
    const result = await screen.findByTestId("export-result");
    expect(accountsExport).toHaveBeenCalledWith(
      selection,
      { format: "csv", includeCredentials: false },
      `/home/ann/Downloads/paneldeck-accounts-${today}.csv`,
      jobId,
    );
    expect(result).toHaveTextContent("2 accounts written (2 KiB)");
    expect(result).toHaveTextContent(`paneldeck-accounts-${today}.csv`);
  });

  it("warns when credentials are included and sends them as JSON with a .json path", async () => {
    show();
    await waitFor(() => expect(pathField().value).toMatch(/\.csv$/));
    fireEvent.click(screen.getByLabelText("JSON"));
    await waitFor(() => expect(pathField().value).toBe(`/home/ann/Downloads/paneldeck-accounts-${today}.json`));
    fireEvent.click(screen.getByTestId("export-credentials"));
    expect(screen.getByTestId("export-credentials-warning")).toHaveTextContent("access to every account");
    fireEvent.click(screen.getByTestId("export-run"));
    await screen.findByTestId("export-result");
    expect(accountsExport).toHaveBeenCalledWith(selection, { format: "json", includeCredentials: true }, expect.stringMatching(/\.json$/), jobId);
  });

  it("writes QR codes as SVG into a ZIP file", async () => {
    linksExport.mockResolvedValue({
      status: "ok",
      data: {
        accounts: 2,
        links: 3,
        files: 3,
        path: `/home/ann/Downloads/paneldeck-qr-${today}.zip`,
        unread: [{ name: "gone-user", error: { code: "not_found", message: "no such user", fields: [], fingerprint: null, changes: [] } }],
      },
    });
    show();
    fireEvent.click(screen.getByLabelText("Links"));
    fireEvent.change(screen.getByTestId("export-link-output"), { target: { value: "qrZip" } });
    fireEvent.change(screen.getByTestId("export-image"), { target: { value: "svg" } });
    await waitFor(() => expect(pathField().value).toBe(`/home/ann/Downloads/paneldeck-qr-${today}.zip`));
    fireEvent.click(screen.getByTestId("export-run"));
    const result = await screen.findByTestId("export-result");
    expect(linksExport).toHaveBeenCalledWith(
      selection,
      { type: "qrZip", image: { type: "svg" } },
      `/home/ann/Downloads/paneldeck-qr-${today}.zip`,
      jobId,
    );
    expect(accountsExport).not.toHaveBeenCalled();
    expect(result).toHaveTextContent("3 links of 2 accounts, 3 files written.");
    const unread = screen.getByTestId("export-unread");
    expect(unread).toHaveTextContent("The links of 1 account could not be read; it was left out:");
    expect(unread).toHaveTextContent("gone-user");
  });

  it("picks a folder for QR images and keeps a typed path's name when the format changes", async () => {
    pickPath.mockResolvedValue({ status: "ok", data: "/srv/share/qr-codes" });
    linksExport.mockResolvedValue({ status: "ok", data: { accounts: 2, links: 2, files: 2, path: "/srv/share/qr-codes", unread: [] } });
    show();
    fireEvent.click(screen.getByLabelText("Links"));
    fireEvent.change(screen.getByTestId("export-link-output"), { target: { value: "qrFolder" } });
    await waitFor(() => expect(pathField().value).toBe(`/home/ann/Downloads/paneldeck-qr-${today}`));
    fireEvent.click(screen.getByText("Browse…"));
    await waitFor(() => expect(pathField().value).toBe("/srv/share/qr-codes"));
    expect(pickPath).toHaveBeenCalledWith("folder", `/home/ann/Downloads/paneldeck-qr-${today}`);

    fireEvent.click(screen.getByTestId("export-run"));
    await screen.findByTestId("export-result");
    expect(linksExport).toHaveBeenCalledWith(selection, { type: "qrFolder", image: { type: "png", scale: 8 } }, "/srv/share/qr-codes", jobId);

    // The user's own name stays; only the extension follows the format.
    fireEvent.change(screen.getByTestId("export-link-output"), { target: { value: "html" } });
    expect(pathField().value).toBe("/srv/share/qr-codes.html");
    fireEvent.change(screen.getByTestId("export-link-output"), { target: { value: "txt" } });
    expect(pathField().value).toBe("/srv/share/qr-codes.txt");
  });

  it("shows Rust's message for a bad path under the path field", async () => {
    accountsExport.mockResolvedValue({
      status: "error",
      error: {
        code: "invalid_input",
        message: "path: give the full path",
        fields: [
          {
            field: "path",
            problem: { code: "notAbsolute", example: "/home/ann/Downloads/a.csv" },
            message: "give the full path (for example /home/ann/Downloads/a.csv)",
          },
        ],
        fingerprint: null,
        changes: [],
      },
    });
    show();
    fireEvent.change(pathField(), { target: { value: "a.csv" } });
    fireEvent.click(screen.getByTestId("export-run"));
    const message = await screen.findByText("Give the full path (for example /home/ann/Downloads/a.csv).");
    expect(message.closest(".field")?.querySelector("[data-testid=export-path]")).toBe(pathField());
    expect(screen.queryByTestId("export-result")).toBeNull();
  });

  it("shows the job's progress with its pace and time left, and Cancel stops it without writing", async () => {
    let finish: (r: Result) => void = () => {};
    linksExport.mockReturnValue(new Promise<Result>((resolve) => (finish = resolve)));
    let clock = 1000;
    const now = vi.spyOn(performance, "now").mockImplementation(() => clock);
    show();
    fireEvent.click(screen.getByLabelText("Links"));
    fireEvent.change(screen.getByTestId("export-link-output"), { target: { value: "qrZip" } });
    await waitFor(() => expect(pathField().value).toMatch(/\.zip$/));
    fireEvent.click(screen.getByTestId("export-run"));
    await screen.findByTestId("export-progress");
    await waitFor(() => expect(jobListeners.size).toBe(1));
    const id = String(linksExport.mock.calls[0]?.[3]);
    const emit = (step: JobStep) => act(() => jobListeners.forEach((l) => l({ payload: { jobId: id, step } })));
    // Another job's events are not this one's.
    act(() => jobListeners.forEach((l) => l({ payload: { jobId: "other", step: { phase: "writing", done: 9, total: 9 } } })));
    emit({ phase: "drawing", done: 0, total: 10000 });
    clock += 2000;
    emit({ phase: "drawing", done: 2000, total: 10000 });
    const text = screen.getByTestId("export-progress-text");
    expect(text).toHaveTextContent("2,000 of 10,000 · 1,000/s · about 8 sec left");
    expect(screen.getByRole("progressbar", { name: "Drawing QR codes" })).toHaveAttribute("aria-valuenow", "2000");

    fireEvent.click(screen.getByTestId("export-progress-cancel"));
    expect(jobCancel).toHaveBeenCalledWith(id);
    expect(screen.getByTestId("export-progress-cancel")).toBeDisabled();
    await act(async () =>
      finish({ status: "error", error: { code: "cancelled", message: "cancelled", fields: [], fingerprint: null } }),
    );
    expect(await screen.findByTestId("export-cancelled")).toHaveTextContent("Cancelled: nothing was written.");
    expect(screen.queryByTestId("export-progress")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    now.mockRestore();
  });
});
