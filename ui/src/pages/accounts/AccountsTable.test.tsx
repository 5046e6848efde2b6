import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Profiler } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { accountKeys } from "../../api/accounts";
import type { AccountQuery, AccountRow } from "../../api/types";
import { useAccountsTableModel } from "./accountColumns";
import { AccountsTable, ROW_HEIGHT } from "./AccountsTable";
import { initialQuery } from "./AccountsView";
import { emptySelection } from "./selection";

const MATCHED = 1_000;

function account(i: number): AccountRow {
  return {
    key: { panelId: "p1", nativeId: String(i) },
    panelName: "Helsinki",
    panelColor: "#16a34a",
    kind: "marzban",
    name: `user-${i}`,
    email: null,
    status: "active",
    usedBytes: 0,
    limitBytes: null,
    expiresAtMs: null,
    online: null,
    lastOnlineMs: null,
    group: null,
  };
}

/** While set, blocks from row 400 on wait for it. `asked`: the offsets of the blocks asked
 *  for, in order. */
const far = vi.hoisted(() => ({ gate: null as Promise<void> | null, asked: [] as number[] }));

// Rust's answer to a block query: the rows in [offset, offset + limit) of 1,000.
vi.mock("../../bindings", () => ({
  commands: {
    accountsQuery: async (q: AccountQuery) => {
      far.asked.push(q.offset);
      if (q.offset >= 400 && far.gate) await far.gate;
      const rows: AccountRow[] = [];
      for (let i = q.offset; i < Math.min(q.offset + q.limit, MATCHED); i++) rows.push(account(i));
      return { status: "ok", data: { rows, matched: MATCHED, total: MATCHED } };
    },
  },
  events: {},
}));

// jsdom lays nothing out and scrolls nothing: the scroller is given the height of ten rows.
const VISIBLE = 10;
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => {
  HTMLElement.prototype.scrollTo = function (this: HTMLElement, options?: ScrollToOptions | number) {
    if (typeof options === "object" && options.top !== undefined) this.scrollTop = options.top;
  };
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("table-body") ? VISIBLE * ROW_HEIGHT : 0;
    },
  });
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      disconnect() {}
    },
  );
});
afterEach(cleanup);
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, "clientHeight", clientHeight);
  vi.unstubAllGlobals();
});

/** Commits of the table (each time React rendered it and changed the page). */
let commits = 0;

const noop = () => {};

/** The table with its column model and nothing to do on a click. */
function Table({ onOpen = noop, onToggle = noop }: { onOpen?: () => void; onToggle?: () => void }) {
  const model = useAccountsTableModel();
  return (
    <AccountsTable
      model={model}
      query={initialQuery}
      selection={emptySelection()}
      activeKey={null}
      onRowClick={noop}
      onToggle={onToggle}
      onOpen={onOpen}
      onExtend={noop}
      onSort={noop}
      onCounts={noop}
      allCheck={{ checked: false, mixed: false, onChange: noop }}
      rowMenu={() => []}
    />
  );
}

function renderTable(handlers: { onOpen?: () => void; onToggle?: () => void } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  commits = 0;
  render(
    <QueryClientProvider client={client}>
      <Profiler id="table" onRender={() => (commits += 1)}>
        <Table {...handlers} />
      </Profiler>
    </QueryClientProvider>,
  );
  return client;
}

/** Lets the table settle: pending fetches answer and their renders happen. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 100)));

const rows = () => Array.from(document.querySelectorAll<HTMLElement>("[data-testid=account-row]"));

async function scrollToRow(index: number, { loaded = true } = {}) {
  const body = document.querySelector<HTMLElement>(".table-body");
  if (!body) throw new Error("no scroller");
  await act(async () => {
    body.scrollTop = index * ROW_HEIGHT;
    fireEvent.scroll(body);
  });
  if (loaded) await screen.findByRole("checkbox", { name: `Select user-${index}` });
}

/** Each row shows the account its place belongs to. */
function expectRowsInPlace(from: number) {
  const shown = rows().map((row) => {
    const index = Number(row.getAttribute("aria-rowindex")) - 1;
    expect(row.dataset.name).toBe(`user-${index}`);
    expect(row.style.insetBlockStart).toBe(`${index * ROW_HEIGHT}px`);
    expect(row.querySelector("input")?.getAttribute("aria-label")).toBe(`Select user-${index}`);
    return index;
  });
  shown.sort((a, b) => a - b);
  expect(shown[0]).toBeLessThanOrEqual(from);
  expect(shown[shown.length - 1]).toBeGreaterThanOrEqual(from + VISIBLE - 1);
  expect(new Set(shown).size).toBe(shown.length);
}

describe("accounts table", () => {
  it("shows each account at its own place after a scroll, reusing the rows' elements", async () => {
    renderTable();
    await screen.findByRole("checkbox", { name: "Select user-0" });
    const before = rows();
    expect(before.length).toBeGreaterThan(VISIBLE);

    // Within the first block of 100, which is loaded.
    await scrollToRow(50);
    expectRowsInPlace(50);
    // The rows drawn before the scroll were given new accounts, not removed.
    for (const row of before) expect(row.isConnected).toBe(true);
  });

  it("draws the rows of a new scroll position before the frame paints", async () => {
    renderTable();
    await screen.findByRole("checkbox", { name: "Select user-0" });
    const body = document.querySelector<HTMLElement>(".table-body");
    if (!body) throw new Error("no scroller");
    // Outside act() (which fireEvent would wrap it in): whatever React leaves for a later task
    // is not drawn yet when the scroll event returns, and the browser paints right after it.
    const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      body.scrollTop = 60 * ROW_HEIGHT;
      body.dispatchEvent(new Event("scroll"));
      expectRowsInPlace(60);
    } finally {
      actEnvironment.IS_REACT_ACT_ENVIRONMENT = true;
    }
  });

  it("keeps rows' elements hidden while a far block loads, then shows its accounts in them", async () => {
    let release = () => {};
    far.gate = new Promise((resolve) => (release = resolve));
    try {
      renderTable();
      await screen.findByRole("checkbox", { name: "Select user-0" });
      const before = rows();

      await scrollToRow(500, { loaded: false });
      // Nothing loaded there yet: placeholders show, no account does.
      expect(rows()).toHaveLength(0);
      expect(document.querySelector(".pending-rows")).not.toBeNull();
      for (const row of before) {
        expect(row.isConnected).toBe(true);
        expect(row).toHaveClass("loading");
        expect(row).toHaveAttribute("aria-hidden", "true");
      }

      release();
      await screen.findByRole("checkbox", { name: "Select user-500" });
      expectRowsInPlace(500);
      for (const row of before) expect(row.isConnected).toBe(true);
      expect(document.querySelector(".tr.loading")).toBeNull();
    } finally {
      far.gate = null;
      release();
    }
  });

  it("fetches the blocks ahead of the scroll, after those on screen, but not for a jump", async () => {
    /** The blocks asked for since the last call, once the table has settled. */
    const askedSince = async () => {
      await settle();
      const asked = far.asked;
      far.asked = [];
      return asked;
    };
    far.asked = [];
    renderTable();
    await screen.findByRole("checkbox", { name: "Select user-0" });
    // Rows 0-9 on screen: their block, then the two below.
    expect(await askedSince()).toEqual([0, 100, 200]);

    // A jump (the scrollbar dragged) would pass blocks ahead before they came: its own only.
    await scrollToRow(550);
    expect(await askedSince()).toEqual([500]);
    // Down 90 rows: the new block on screen first, then the two after it.
    await scrollToRow(640);
    expect(await askedSince()).toEqual([600, 700, 800]);
    // Up 80 rows: the two above, nearest first (the block on screen is loaded).
    await scrollToRow(560);
    expect(await askedSince()).toEqual([400, 300]);
    // Near the end, nothing is fetched beyond it.
    await scrollToRow(850);
    expect(await askedSince()).toEqual([]);
    await scrollToRow(MATCHED - 20);
    expect(await askedSince()).toEqual([900]);
  });

  it("does not render again when a block ahead arrives", async () => {
    let release = () => {};
    far.gate = new Promise((resolve) => (release = resolve));
    try {
      const client = renderTable();
      await screen.findByRole("checkbox", { name: "Select user-0" });
      await settle();
      // Down in steps (a jump fetches nothing ahead) to rows 250-259: their block (200) is
      // loaded, 300 and 400 are fetched ahead; 400 waits.
      await scrollToRow(150);
      await scrollToRow(250);
      await settle();
      expect(client.getQueryData(accountKeys.block(initialQuery, 3))).toBeDefined();
      expect(client.getQueryData(accountKeys.block(initialQuery, 4))).toBeUndefined();
      const before = commits;

      release();
      await waitFor(() => expect(client.getQueryData(accountKeys.block(initialQuery, 4))).toBeDefined());
      await settle();
      expect(commits).toBe(before);
      expectRowsInPlace(250);
    } finally {
      far.gate = null;
      release();
    }
  });

  it("drops the focus of a checkbox whose row now shows another account", async () => {
    renderTable();
    const box = await screen.findByRole("checkbox", { name: "Select user-3" });
    act(() => box.focus());
    expect(document.activeElement).toBe(box);

    await scrollToRow(80);
    await waitFor(() => expect(box).not.toHaveAccessibleName("Select user-3"));
    expect(box.isConnected).toBe(true);
    expect(document.activeElement).not.toBe(box);
  });

  it("moves the focus between rows with the arrows; Enter opens and Space selects the focused one", async () => {
    const onOpen = vi.fn();
    const onToggle = vi.fn();
    renderTable({ onOpen, onToggle });
    await screen.findByRole("checkbox", { name: "Select user-0" });
    const first = rows().find((r) => r.dataset.name === "user-0");
    if (!first) throw new Error("no first row");
    // One stop for Tab: the focus row.
    expect(rows().filter((r) => r.tabIndex === 0)).toEqual([first]);
    act(() => first.focus());
    fireEvent.keyDown(first, { key: "ArrowDown" });
    fireEvent.keyDown(document.activeElement ?? first, { key: "ArrowDown" });
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset.name).toBe("user-2"));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "Enter" });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: "user-2" }), 2);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: " " });
    expect(onToggle).toHaveBeenCalledWith(expect.objectContaining({ name: "user-2" }), 2);
  });

  it("moves a column dropped on another header to that place, and keeps the order for the next start", async () => {
    localStorage.clear();
    renderTable();
    await screen.findByRole("checkbox", { name: "Select user-0" });
    const headers = () => Array.from(document.querySelectorAll<HTMLElement>("[role=columnheader][data-column]")).map((h) => h.dataset.column);
    expect(headers()).toEqual(["name", "panel", "kind", "status", "usage", "expiry", "online"]);
    const header = (id: string) => document.querySelector<HTMLElement>(`[data-column=${id}]`) as HTMLElement;
    const dataTransfer = { setData: vi.fn(), effectAllowed: "", dropEffect: "" };
    const button = header("expiry").querySelector("button") as HTMLElement;
    expect(button).toHaveAttribute("draggable", "true");
    fireEvent.dragStart(button, { dataTransfer });
    fireEvent.dragOver(header("kind"), { dataTransfer });
    expect(header("kind")).toHaveClass("drop-before");
    fireEvent.drop(header("kind"), { dataTransfer });
    expect(headers()).toEqual(["name", "panel", "expiry", "kind", "status", "usage", "online"]);
    expect(header("kind")).not.toHaveClass("drop-before");
    const saved = JSON.parse(localStorage.getItem("paneldeck.table.layout") ?? "{}") as { order: string[] };
    expect(saved.order).toEqual(["name", "panel", "expiry", "kind", "status", "usage", "online"]);
    // The pinned name column takes no drop: its place is the start.
    fireEvent.dragStart(header("usage").querySelector("button") as HTMLElement, { dataTransfer });
    fireEvent.dragOver(header("name"), { dataTransfer });
    fireEvent.drop(header("name"), { dataTransfer });
    expect(headers()[0]).toBe("name");
    cleanup();
    // A new start reads the saved order.
    renderTable();
    await screen.findByRole("checkbox", { name: "Select user-0" });
    expect(headers()).toEqual(["name", "panel", "expiry", "kind", "status", "usage", "online"]);
  });
});
