import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ImportPreview, PreviewRow } from "../../api/types";
import { chooseOption, optionIds } from "../../test/combobox";
import { ImportDialog } from "./ImportDialog";
import { MigrateDialog } from "./MigrateDialog";
import { panelView } from "../../test/panels";

type Result = { status: "ok"; data: unknown } | { status: "error"; error: unknown };
const importPreview = vi.fn<(...args: unknown[]) => Promise<Result>>();
const migrationPreview = vi.fn<(...args: unknown[]) => Promise<Result>>();
const importConfirm = vi.fn<(...args: unknown[]) => Promise<Result>>();
const importDiscard = vi.fn<(...args: unknown[]) => Promise<null>>(async () => null);
const pickPath = vi.fn<(...args: unknown[]) => Promise<Result>>();

vi.mock("../../bindings", () => ({
  commands: {
    importPreview: (...args: unknown[]) => importPreview(...args),
    migrationPreview: (...args: unknown[]) => migrationPreview(...args),
    importConfirm: (...args: unknown[]) => importConfirm(...args),
    importDiscard: (...args: unknown[]) => importDiscard(...args),
    pickPath: (...args: unknown[]) => pickPath(...args),
    accountCreateOptions: async () => ({
      status: "ok",
      data: { kind: "xui", inbounds: [{ id: 3, protocol: "vless", remark: "reality-443", port: 443, enable: true }] },
    }),
  },
  events: {},
}));

// The run panel belongs to the bulk screens; here it only has to receive the confirmed plan.
vi.mock("../bulk/BulkRunPanel", () => ({
  BulkRunPanel: (props: { plan: { title: { what: { file?: string; panel?: string } }; toChange: number }; autoStart?: boolean }) => (
    <div data-testid="bulk-run-stub" data-auto-start={String(props.autoStart)}>
      {`${props.plan.title.what.file ?? ""}>${props.plan.title.what.panel ?? ""} / ${props.plan.toChange}`}
    </div>
  ),
}));

const panels = [panelView("m1", "Helsinki", "marzban"), panelView("x1", "Frankfurt", "xui")];

const row = (line: number, patch: Partial<PreviewRow> = {}): PreviewRow => ({
  line,
  name: `user${line}`,
  action: "create",
  changes: [],
  reason: null,
  notCarried: [],
  keepsCredentials: false,
  ...patch,
});

const preview: ImportPreview = {
  previewId: "pv-1",
  title: { type: "import", file: "accounts.csv", panel: "Helsinki" },
  format: "csv",
  preview: {
    panelId: "m1",
    kind: "marzban",
    counts: { create: 2, update: 1, unchanged: 1, conflict: 1, errors: 2 },
    rows: [
      row(2, { name: "alice", keepsCredentials: true, notCarried: ["group"] }),
      row(3, { name: "bob" }),
      row(4, { name: "carol", action: "update", changes: [{ field: "limit", before: { type: "bytes", bytes: 10737418240 }, after: null }, { field: "note", before: { type: "text", text: "old" }, after: { type: "text", text: "new" } }] }),
      row(5, { name: "dave", action: "unchanged" }),
      row(7, { name: "x", action: "conflict", reason: { code: "notMarzbanUsername", name: "x" } }),
    ],
    errors: [
      { line: 6, column: "limit_bytes", reason: { code: "notWholeNumberOf", unit: "bytes", value: "abc" } },
      { line: 8, column: "", reason: { code: "fieldCount", found: 3, expected: 4 } },
    ],
  },
};

// A migration reads the snapshot, not a file: it has no bad rows.
const migrated = { ...preview.preview, counts: { ...preview.preview.counts, errors: 0 }, errors: [] };

const plan = { id: "op-9", title: { what: { type: "import", file: "accounts.csv", panel: "Helsinki" }, accounts: 3, panels: 1 }, createdAtMs: 0, panels: [], toChange: 3, skipped: 2 };

function show(ui: React.ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

beforeEach(() => {
  for (const m of [importPreview, migrationPreview, importConfirm, importDiscard, pickPath]) m.mockClear();
  importPreview.mockResolvedValue({ status: "ok", data: preview });
  migrationPreview.mockResolvedValue({ status: "ok", data: { ...preview, previewId: "pv-m", title: { type: "migrate", from: "Helsinki", to: "Frankfurt" }, format: null, preview: migrated } });
  importConfirm.mockResolvedValue({ status: "ok", data: plan });
});
afterEach(cleanup);

async function previewFile(onClose: () => void = () => {}) {
  show(<ImportDialog panels={panels} onClose={onClose} />);
  expect(screen.getByTestId("plan-preview-run")).toBeDisabled();
  fireEvent.change(screen.getByTestId("import-path"), { target: { value: "  /home/ann/accounts.csv " } });
  fireEvent.click(screen.getByTestId("plan-preview-run"));
  return screen.findByTestId("plan-preview");
}

describe("import dialog", () => {
  it("previews counts and line-numbered bad rows, and writes nothing until confirmed", async () => {
    const view = await previewFile();
    expect(importPreview).toHaveBeenCalledWith("/home/ann/accounts.csv", "m1", { createOnly: false, xuiInboundIds: [] });
    expect(within(view).getByTestId("plan-count-create")).toHaveTextContent("2");
    expect(within(view).getByTestId("plan-count-update")).toHaveTextContent("1");
    expect(within(view).getByTestId("plan-count-unchanged")).toHaveTextContent("1");
    expect(within(view).getByTestId("plan-count-conflict")).toHaveTextContent("1");
    expect(within(view).getByTestId("plan-count-errors")).toHaveTextContent("2");

    const errors = within(view).getAllByTestId("plan-error");
    expect(errors[0]).toHaveTextContent("line 6, column limit_bytes");
    expect(errors[0]).toHaveTextContent("expected a whole number of bytes (0 or more), got 'abc'");
    expect(errors[1]).toHaveTextContent("line 8");
    expect(errors[1]).not.toHaveTextContent("column");

    const rows = within(view).getAllByTestId("plan-row");
    expect(rows).toHaveLength(5);
    expect(rows[0]).toHaveTextContent("alice");
    expect(rows[0]).toHaveTextContent("keeps credentials");
    expect(rows[0]).toHaveTextContent("1 not carried");
    expect(rows[2]).toHaveTextContent("update");
    expect(rows[2]).toHaveTextContent("Traffic limit: 10 GiB → unlimited; Note: old → new");
    expect(rows[4]).toHaveTextContent("is not a Marzban username");

    // Creates + updates.
    const confirm = screen.getByTestId("plan-confirm");
    expect(confirm).toHaveTextContent("Import 3 accounts");
    expect(importConfirm).not.toHaveBeenCalled();
    // Two bad rows: nothing is written unless the user chooses to skip them.
    expect(confirm).toBeDisabled();
    const skip = screen.getByTestId("plan-skip-bad-rows");
    expect(skip.closest("label")).toHaveTextContent("Skip the 2 bad rows and import the rest");
    fireEvent.click(skip);
    expect(confirm).toBeEnabled();

    fireEvent.click(confirm);
    const run = await screen.findByTestId("bulk-run-stub");
    expect(importConfirm).toHaveBeenCalledWith("pv-1", true);
    expect(run).toHaveTextContent("accounts.csv>Helsinki / 3");
    expect(run).toHaveAttribute("data-auto-start", "true");
    // A confirmed preview is not discarded.
    expect(importDiscard).not.toHaveBeenCalled();
  });

  it("shows a row's details and filters the rows by action", async () => {
    const view = await previewFile();
    fireEvent.click(within(view).getAllByTestId("plan-row")[0] as HTMLElement);
    const detail = within(view).getByTestId("plan-row-detail");
    expect(detail).toHaveTextContent("group: this panel kind has no groups");
    expect(detail).toHaveTextContent("The UUID, password and subscription id from the file are kept");

    fireEvent.click(within(view).getByRole("button", { name: "Update (1)" }));
    const rows = within(view).getAllByTestId("plan-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("carol");
  });

  it("discards the preview when the dialog is closed before confirming", async () => {
    const onClose = vi.fn();
    await previewFile(onClose);
    fireEvent.click(screen.getByText("Cancel"));
    expect(onClose).toHaveBeenCalled();
    expect(importDiscard).toHaveBeenCalledWith("pv-1");
    expect(importConfirm).not.toHaveBeenCalled();
  });

  it("discards the preview when going back to change the options", async () => {
    await previewFile();
    fireEvent.click(screen.getByTestId("plan-back"));
    expect(importDiscard).toHaveBeenCalledWith("pv-1");
    expect(screen.queryByTestId("plan-preview")).toBeNull();
    expect(screen.getByTestId("import-path")).toHaveValue("  /home/ann/accounts.csv ");
  });

  it("sends 3x-ui inbound ids typed as a comma list and refuses anything else", async () => {
    show(<ImportDialog panels={panels} onClose={() => {}} />);
    fireEvent.change(screen.getByTestId("import-path"), { target: { value: "/tmp/clients.json" } });
    expect(screen.queryByTestId("plan-inbounds")).toBeNull();
    chooseOption("import-panel", "Frankfurt");
    // The panel's own inbounds are listed to choose from.
    expect(await screen.findByText("reality-443")).toBeInTheDocument();
    fireEvent.change(screen.getByTestId("plan-inbounds"), { target: { value: "3, 4x" } });
    expect(screen.getByText(/“4x” is not an inbound id/)).toBeInTheDocument();
    expect(screen.getByTestId("plan-preview-run")).toBeDisabled();

    fireEvent.change(screen.getByTestId("plan-inbounds"), { target: { value: "3, 5 3" } });
    fireEvent.click(screen.getByTestId("plan-create-only"));
    fireEvent.click(screen.getByTestId("plan-preview-run"));
    await screen.findByTestId("plan-preview");
    expect(importPreview).toHaveBeenCalledWith("/tmp/clients.json", "x1", { createOnly: true, xuiInboundIds: [3, 5] });
  });

  it("keeps the focus in the field being typed in", async () => {
    show(<ImportDialog panels={panels} onClose={() => {}} />);
    expect(screen.getByTestId("import-path")).toHaveFocus();
    chooseOption("import-panel", "Frankfurt");
    const inbounds = screen.getByTestId("plan-inbounds");
    inbounds.focus();
    fireEvent.change(inbounds, { target: { value: "3" } });
    fireEvent.change(inbounds, { target: { value: "3, 4" } });
    expect(inbounds).toHaveFocus();
  });

  it("uses the OS file dialog for Browse", async () => {
    pickPath.mockResolvedValue({ status: "ok", data: "/media/usb/export.json" });
    show(<ImportDialog panels={panels} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("import-browse"));
    await waitFor(() => expect(screen.getByTestId("import-path")).toHaveValue("/media/usb/export.json"));
    expect(pickPath).toHaveBeenCalledWith("open", null);
  });

  it("keeps a preview of 100,000 rows windowed", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i + 2));
    importPreview.mockResolvedValue({
      status: "ok",
      data: { ...preview, preview: { ...preview.preview, rows, errors: [], counts: { create: 100_000, update: 0, unchanged: 0, conflict: 0, errors: 0 } } },
    });
    const view = await previewFile();
    const table = within(view).getByTestId("plan-rows");
    expect(table).toHaveAttribute("aria-rowcount", "100000");
    const shown = within(table).getAllByTestId("plan-row");
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(60);
    expect(screen.getByTestId("plan-confirm")).toHaveTextContent("Import 100,000 accounts");
  });

  it("shows the reason a preview failed, under the path when it is the path", async () => {
    importPreview.mockResolvedValue({
      status: "error",
      error: {
        code: "invalid_input",
        message: "/x.csv is 600000000 bytes, more than an import takes (536870912)",
        fields: [
          {
            field: "path",
            problem: { code: "fileTooBig", bytes: 600000000, max: 536870912 },
            message: "/x.csv is 600000000 bytes, more than an import takes (536870912)",
          },
        ],
        fingerprint: null,
        changes: [],
      },
    });
    show(<ImportDialog panels={panels} onClose={() => {}} />);
    fireEvent.change(screen.getByTestId("import-path"), { target: { value: "/x.csv" } });
    fireEvent.click(screen.getByTestId("plan-preview-run"));
    const message = await screen.findByText("The file is 600,000,000 bytes, more than an import takes (536,870,912).");
    expect(message.closest(".field")?.querySelector("[data-testid=import-path]")).not.toBeNull();
    expect(screen.queryByTestId("plan-preview")).toBeNull();
  });
});

describe("migrate dialog", () => {
  const selected = { selection: { type: "keys" as const, keys: [{ panelId: "m1", nativeId: "alice" }] }, description: "1 selected" };

  it("previews a migration of the selected accounts between two different panels", async () => {
    show(<MigrateDialog panels={panels} selected={selected} onClose={() => {}} />);
    expect(optionIds("migrate-to")).toEqual(["x1"]);
    expect(screen.getByTestId("migrate-only-selected")).toBeChecked();
    expect(screen.getByText("Only the selected accounts (1 selected)")).toBeInTheDocument();
    fireEvent.change(screen.getByTestId("plan-inbounds"), { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("plan-preview-run"));
    await screen.findByTestId("plan-preview");
    expect(migrationPreview).toHaveBeenCalledWith("m1", "x1", selected.selection, { createOnly: false, xuiInboundIds: [3] });

    fireEvent.click(screen.getByTestId("plan-confirm"));
    await screen.findByTestId("bulk-run-stub");
    expect(importConfirm).toHaveBeenCalledWith("pv-m", false);
  });

  it("migrates the whole panel when 'only the selected' is off, and never onto itself", async () => {
    show(<MigrateDialog panels={panels} selected={selected} onClose={() => {}} />);
    chooseOption("migrate-from", "frank");
    expect(screen.getByTestId("migrate-to")).toHaveTextContent("Helsinki");
    fireEvent.click(screen.getByTestId("migrate-only-selected"));
    fireEvent.click(screen.getByTestId("plan-preview-run"));
    await screen.findByTestId("plan-preview");
    expect(migrationPreview).toHaveBeenCalledWith("x1", "m1", null, { createOnly: false, xuiInboundIds: [] });
  });

  it("offers the target's inbounds where rows fit none, and previews again with the ones picked", async () => {
    const unfit = { code: "noInboundFits" as const, name: "eve", protocols: ["trojan"] };
    const conflicted = { ...migrated, kind: "xui" as const, rows: [row(2, { name: "eve", action: "conflict", reason: unfit }), row(3, { name: "finn", action: "conflict", reason: { ...unfit, name: "finn" } })] };
    migrationPreview.mockResolvedValueOnce({ status: "ok", data: { ...preview, previewId: "pv-m", format: null, preview: conflicted } });
    show(<MigrateDialog panels={panels} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("plan-preview-run"));
    const fix = await screen.findByTestId("inbound-fix");
    expect(fix).toHaveTextContent("2 accounts fit no inbound of this panel.");
    expect(screen.getByTestId("inbound-fix-apply")).toBeDisabled();
    const picker = screen.getByTestId("inbound-fix-picker");
    await waitFor(() => expect(picker).toBeEnabled());
    // Keyboard opens the list; typing filters it; Enter ticks the inbound (and submits nothing).
    picker.focus();
    fireEvent.keyDown(picker, { key: "ArrowDown" });
    const search = await screen.findByTestId("inbound-fix-picker-search");
    fireEvent.change(search, { target: { value: "reality" } });
    const item = screen.getByRole("option", { name: /reality-443/ });
    fireEvent.keyDown(search, { key: "Enter" });
    expect(item).toHaveAttribute("aria-checked", "true");
    expect(migrationPreview).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(search, { key: "Escape" });
    expect(picker).toHaveTextContent("1 inbound chosen");
    fireEvent.click(screen.getByTestId("inbound-fix-apply"));
    await waitFor(() => expect(migrationPreview).toHaveBeenCalledTimes(2));
    expect(migrationPreview).toHaveBeenLastCalledWith("m1", "x1", null, { createOnly: false, xuiInboundIds: [3] });
    // The rows fit now: the fix is gone; going back shows the choice in the form's field.
    await waitFor(() => expect(screen.queryByTestId("inbound-fix")).toBeNull());
    fireEvent.click(screen.getByTestId("plan-back"));
    expect(screen.getByTestId("plan-inbounds")).toHaveValue("3");
  });
});
