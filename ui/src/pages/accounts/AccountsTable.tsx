import { useQueryClient } from "@tanstack/react-query";
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type UIEvent,
} from "react";
import { flushSync } from "react-dom";
import { useTranslation } from "react-i18next";

import { AHEAD_ROWS, useAccountWindow, windowLoaded, type Direction } from "../../api/accounts";
import type { AccountKey, AccountQuery, AccountRow, SortColumn } from "../../api/types";
import { useNow } from "../../util/useNow";
import { COLUMNS, ROW_HEIGHTS, rowText, shownColumns, type AccountsTableModel, type ColumnId, type RowText } from "./accountColumns";
import { useColumnDrag } from "./columnDrag";
import { isSelected, type Selection } from "./selection";
import { ContextMenuOver, headerEntries, type MenuEntry } from "./TableMenus";

/** The comfortable density's row height (the default). */
export const ROW_HEIGHT = ROW_HEIGHTS.comfortable;
/** Rows rendered above and below the visible ones, so a wheel step shows no gap. More only
 *  adds DOM work to every frame of a fast scroll, where they are off screen at once. */
const OVERSCAN = 4;

type Props = {
  model: AccountsTableModel;
  query: AccountQuery;
  selection: Selection;
  activeKey: AccountKey | null;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
  /** Enter on a row. */
  onOpen: (row: AccountRow, index: number) => void;
  /** Shift+arrow from row `from` to row `to`: the rows between join the selection. */
  onExtend: (from: number, to: number) => void;
  onSort: (column: SortColumn, descending?: boolean) => void;
  onCounts: (matched: number | null, total: number | null) => void;
  /** The header's select-all box. */
  allCheck: { checked: boolean; mixed: boolean; onChange: () => void };
  /** The right-click menu of a row. */
  rowMenu: (row: AccountRow, index: number) => MenuEntry[];
};

/** `slots`: how many rows a window of this height can hold, at most; row `i` is drawn in
 *  slot `i % slots`. `direction`: the way the last scroll went. */
type Range = { first: number; last: number; slots: number; direction: Direction };

/** The checkbox column's width and the gap between columns, px (as in the stylesheet). */
const CHECK_COLUMN = 32;
const COLUMN_GAP = 6;

/** A pinned cell's sticking place, for its `inset-inline-start`. */
const pinStyle = (at: number | undefined): CSSProperties | undefined => (at === undefined ? undefined : { insetInlineStart: at });

/** The rows (overscan included) that a scroller at `top` with `height` shows. */
function rangeAt(top: number, height: number, rowHeight: number): Omit<Range, "direction"> {
  const visible = Math.ceil(height / rowHeight) + 1;
  const topRow = Math.floor(top / rowHeight);
  return {
    first: Math.max(0, topRow - OVERSCAN),
    last: topRow + visible - 1 + OVERSCAN,
    slots: visible + 2 * OVERSCAN,
  };
}

/** The way the rows moved from `before` to `after`: a jump (farther than the rows fetched
 *  ahead reach) goes nowhere to prepare for, and at the top the only way is down. */
function directionOf(before: Range, after: Omit<Range, "direction">): Direction {
  const moved = after.first - before.first;
  if (Math.abs(moved) > AHEAD_ROWS) return 0;
  if (after.first === 0 || moved > 0) return 1;
  return moved < 0 ? -1 : before.direction;
}

/** The row a key moves the focus to from `at`, or null for a key that does not move it. */
function keyTarget(key: string, ctrl: boolean, at: number, page: number, count: number): number | null {
  const to =
    key === "ArrowDown" ? at + 1
    : key === "ArrowUp" ? at - 1
    : key === "PageDown" ? at + page
    : key === "PageUp" ? at - page
    : key === "Home" && ctrl ? 0
    : key === "End" && ctrl ? count - 1
    : null;
  return to === null ? null : Math.max(0, Math.min(count - 1, to));
}

/** The accounts table: only the rows on screen exist in the DOM, and only their blocks (and a
 *  couple ahead of the scroll) are fetched from Rust. Columns (which, in what order, how wide)
 *  come from the TanStack Table model. Rows take the focus: arrows move, Enter opens, Space
 *  selects, Shift+arrows extend the selection. */
export function AccountsTable(props: Props) {
  const { model, query, selection, activeKey, onSort, onCounts, allCheck } = props;
  const { t, i18n } = useTranslation();
  const rowHeight = ROW_HEIGHTS[model.density];
  const scroller = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<Range>(() => ({ ...rangeAt(0, 600, rowHeight), direction: 1 }));
  const { first, last, slots, direction } = range;
  const { rowAt, matched, total, error } = useAccountWindow(query, first, last, direction);
  /** The account each slot drew last (see below). */
  const lastInSlot = useRef<AccountRow[]>([]);
  /** The row that takes the focus (roving tabindex), and whether it should take it now. */
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef(false);

  // Scroll events come many times a frame; the table re-renders only when the rows on screen
  // change.
  const follow = useCallback((next: Omit<Range, "direction">) => {
    setRange((r) =>
      r.first === next.first && r.last === next.last && r.slots === next.slots ? r : { ...next, direction: directionOf(r, next) },
    );
  }, []);
  // The browser fires scroll events in a frame's rendering step, just before it paints. A
  // state update there renders in a task after that paint, so every frame of a scroll would
  // show the rows of the frame before (blank beyond the overscan when scrolling fast): when
  // the rows for the new position are loaded, they are rendered at once instead. Rows still
  // loading show nothing either way, and React may then spread its work over several tasks.
  const client = useQueryClient();
  const onScroll = useCallback(
    (e: UIEvent<HTMLDivElement>) => {
      const el = e.currentTarget;
      const next = rangeAt(el.scrollTop, el.clientHeight, rowHeight);
      if (windowLoaded(client, query, next.first, next.last)) flushSync(() => follow(next));
      else follow(next);
    },
    [client, query, follow, rowHeight],
  );
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const followEl = () => follow(rangeAt(el.scrollTop, el.clientHeight, rowHeight));
    followEl();
    const observer = new ResizeObserver(followEl);
    observer.observe(el);
    return () => observer.disconnect();
  }, [follow, rowHeight]);
  useLayoutEffect(() => onCounts(matched, total), [matched, total, onCounts]);
  // A new filter starts at the top.
  useLayoutEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [query.search, query.statuses, query.panelIds, query.kinds, query.expiringWithinDays, query.depleted, query.online]);

  // Rows are memoized: the handlers they get must not change on every render of the page.
  const handlers = useRef(props);
  useLayoutEffect(() => {
    handlers.current = props;
  });
  const rowClick = useCallback((row: AccountRow, index: number, e: MouseEvent) => {
    setFocusIndex(index);
    handlers.current.onRowClick(row, index, e);
  }, []);
  const rowToggle = useCallback((row: AccountRow, index: number) => handlers.current.onToggle(row, index), []);

  const count = matched ?? 0;
  const now = useNow();
  const lang = i18n.language;
  const text = useMemo(() => rowText(t, lang), [t, lang]);
  const visible = shownColumns(model);
  const drag = useColumnDrag(model);
  const cellIds = visible.map((c) => c.id as ColumnId);
  const cellKey = cellIds.join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the same columns, as a new array
  const cells = useMemo(() => cellIds, [cellKey]);
  // Each column at least its least width and at most its set one: beside the detail pane the
  // columns give up width, never their place on screen.
  const template = "32px " + visible.map((c) => `minmax(${c.columnDef.minSize ?? 60}px, ${c.getSize()}px)`).join(" ");
  // Columns pinned to the start stay in view when the row scrolls sideways: each sticks after
  // the checkbox and the pinned columns before it (logical insets: the right side in RTL).
  const pinKey = visible.map((c) => `${c.id}:${c.getIsPinned() === "start" ? c.getSize() : ""}`).join(",");
  const pins = useMemo(() => {
    const out: Partial<Record<ColumnId, number>> = {};
    let at = CHECK_COLUMN + COLUMN_GAP;
    for (const c of visible) {
      if (c.getIsPinned() !== "start") continue;
      out[c.id as ColumnId] = at;
      at += c.getSize() + COLUMN_GAP;
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the same pins, from a new array
  }, [pinKey]);

  // Focus follows the keyboard: once the row to focus is drawn, it takes the focus.
  const focusDrawn = focusIndex >= first && focusIndex <= Math.min(last, count - 1) && rowAt(focusIndex) !== undefined;
  useLayoutEffect(() => {
    if (!pendingFocus.current || !focusDrawn) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[role=row][aria-rowindex="${focusIndex + 1}"]:not(.loading)`);
    if (!el) return;
    pendingFocus.current = false;
    el.focus({ preventScroll: true });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = scroller.current;
    if (!el || count === 0 || e.target instanceof HTMLInputElement) return;
    const at = Math.min(focusIndex, count - 1);
    const page = Math.max(1, Math.floor(el.clientHeight / rowHeight) - 1);
    const to = keyTarget(e.key, e.ctrlKey || e.metaKey, at, page, count);
    if (to !== null) {
      e.preventDefault();
      if (e.shiftKey && to !== at) handlers.current.onExtend(at, to);
      setFocusIndex(to);
      pendingFocus.current = true;
      // Into view: the rows there load and draw, then the focus moves to the row.
      if (to * rowHeight < el.scrollTop) el.scrollTop = to * rowHeight;
      else if ((to + 1) * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = (to + 1) * rowHeight - el.clientHeight;
      return;
    }
    const row = rowAt(at);
    if (!row) return;
    if (e.key === "Enter") {
      e.preventDefault();
      handlers.current.onOpen(row, at);
    } else if (e.key === " ") {
      e.preventDefault();
      handlers.current.onToggle(row, at);
    }
  };
  // Tab into a table whose focus row is off screen: the first row on screen takes it.
  const onBodyFocus = (e: React.FocusEvent<HTMLDivElement>) => {
    const el = scroller.current;
    if (e.target !== el || !el) return;
    setFocusIndex(Math.min(count - 1, Math.ceil(el.scrollTop / rowHeight)));
    pendingFocus.current = true;
  };

  // Right-click: the menu is for the row under the pointer, which also takes the focus.
  const [menuFor, setMenuFor] = useState<{ row: AccountRow; index: number } | null>(null);
  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>("[role=row]");
    const index = Number(rowEl?.getAttribute("aria-rowindex") ?? 0) - 1;
    const row = index >= 0 ? rowAt(index) : undefined;
    setMenuFor(row ? { row, index } : null);
    if (row) setFocusIndex(index);
  };

  // Loaded rows are drawn one by one; each run of rows still loading is one placeholder.
  // A row is keyed by its slot, not its account: scrolling gives the slot's elements a new
  // account, which costs far less than removing a row's elements and creating new ones.
  // Slots keep their place among the elements (rows are positioned absolutely, and assistive
  // technology reads their order from aria-rowindex): a row moved in the DOM would be laid out
  // and styled anew. While its row loads, a slot keeps the account it showed last, hidden, so
  // the elements stay for the row that arrives.
  const placeholders: ReactNode[] = [];
  const bySlot: ReactNode[] = [];
  /* eslint-disable react-hooks/refs -- `lastInSlot` is a cache of what each slot drew, read
     and written here on purpose: a render React throws away can only leave another hidden
     row in it, which costs an update, never a wrong visible row. */
  const lastShown = lastInSlot.current;
  let pendingFrom: number | null = null;
  let runs = 0;
  const end = Math.min(last, count - 1);
  for (let i = first; i <= end + 1; i++) {
    const row = i <= end ? rowAt(i) : undefined;
    if (!row && i <= end) pendingFrom ??= i;
    if (pendingFrom !== null && (row || i > end)) {
      placeholders.push(
        <div
          key={`pending-${runs++}`}
          className="pending-rows"
          aria-hidden
          style={{ insetBlockStart: pendingFrom * rowHeight, blockSize: (i - pendingFrom) * rowHeight }}
        />,
      );
      pendingFrom = null;
    }
    const slot = i % slots;
    const drawnRow = row ?? (i <= end ? lastShown[slot] : undefined);
    if (!drawnRow) continue;
    if (row) lastShown[slot] = row;
    bySlot[slot] = (
      <TableRow
        key={`slot-${slot}`}
        row={drawnRow}
        index={i}
        height={rowHeight}
        cells={cells}
        pins={pins}
        loading={!row}
        focusable={i === focusIndex}
        selected={isSelected(selection, drawnRow.key)}
        active={activeKey !== null && activeKey.panelId === drawnRow.key.panelId && activeKey.nativeId === drawnRow.key.nativeId}
        now={now}
        text={text}
        onRowClick={rowClick}
        onToggle={rowToggle}
      />
    );
  }
  /* eslint-enable react-hooks/refs */
  const drawn = [...bySlot.filter(Boolean), ...placeholders];

  return (
    <div
      className={`table density-${model.density}`}
      role="grid"
      aria-label={t("accounts.title")}
      aria-rowcount={count}
      aria-multiselectable
      data-testid="accounts-table"
      style={{ "--cols": template } as CSSProperties}
    >
      <div className="table-head" role="row">
        <span className="c-check" role="columnheader">
          <input
            type="checkbox"
            aria-label={t("win.selectAll")}
            checked={allCheck.checked}
            ref={(el) => {
              if (el) el.indeterminate = allCheck.mixed;
            }}
            onChange={allCheck.onChange}
            data-testid="select-all"
          />
        </span>
        {visible.map((column) => {
          const id = column.id as ColumnId;
          const spec = COLUMNS[id];
          const sorted = query.sort === spec.sort;
          const header = model.getFlatHeaders().find((h) => h.column.id === id);
          return (
            <ContextMenuOver
              key={id}
              label={t(spec.label)}
              entries={headerEntries(model, id, { column: query.sort, descending: query.descending }, (d) => onSort(spec.sort, d), t)}
            >
              <div
                role="columnheader"
                className={`th c-${id}` + (pins[id] !== undefined ? " pinned" : "") + drag.marker(id)}
                style={pinStyle(pins[id])}
                aria-sort={sorted ? (query.descending ? "descending" : "ascending") : "none"}
                data-column={id}
                {...drag.target(id)}
              >
                <button type="button" className="th-button" onClick={() => onSort(spec.sort)} title={t("win.dragColumn")} {...drag.source(id)}>
                  <span className="ellipsis">{t(spec.label)}</span>
                  {sorted && <span aria-hidden>{query.descending ? " ▾" : " ▴"}</span>}
                </button>
                {header && (
                  <span
                    className={"col-resizer" + (column.getIsResizing() ? " resizing" : "")}
                    aria-hidden
                    onPointerDown={header.getResizeHandler()}
                    onDoubleClick={() => column.resetSize()}
                  />
                )}
              </div>
            </ContextMenuOver>
          );
        })}
      </div>
      <ContextMenuOver label={t("win.rowMenu")} entries={menuFor ? props.rowMenu(menuFor.row, menuFor.index) : []}>
        <div
          className="table-body"
          ref={scroller}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          onFocus={onBodyFocus}
          onContextMenu={onContextMenu}
          tabIndex={focusDrawn ? -1 : 0}
          role="rowgroup"
        >
          <div className="table-rows" style={{ blockSize: count * rowHeight }} role="presentation">
            {drawn}
          </div>
          {matched === 0 && <p className="muted empty-table">{total === 0 ? t("accounts.emptySnapshot") : t("accounts.noMatch")}</p>}
          {error && <p className="notice error">{error.message}</p>}
        </div>
      </ContextMenuOver>
    </div>
  );
}

type RowProps = {
  row: AccountRow;
  index: number;
  height: number;
  cells: readonly ColumnId[];
  /** Where each start-pinned column sticks, px from the row's start. */
  pins: Partial<Record<ColumnId, number>>;
  /** The row at `index` is still loading: `row` is what the slot showed before, kept hidden. */
  loading: boolean;
  /** The row the Tab key reaches (roving tabindex). */
  focusable: boolean;
  selected: boolean;
  active: boolean;
  now: number;
  text: RowText;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
};

/** One account; re-renders only when its row, place, columns, selection, focus, activity or
 *  the clock change. */
const TableRow = memo(function TableRow(p: RowProps) {
  const { row, index, loading, selected, text } = p;
  // The slot now shows another account: focus left in it (the row or its checkbox) must not
  // carry over, or Space would toggle an account the user never picked.
  const element = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && element.current?.contains(focused)) focused.blur();
  }, [row.key.panelId, row.key.nativeId]);
  return (
    <div
      ref={element}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      aria-hidden={loading || undefined}
      tabIndex={p.focusable && !loading ? 0 : -1}
      data-testid={loading ? undefined : "account-row"}
      data-name={row.name}
      className={"tr" + (selected ? " selected" : "") + (p.active ? " active" : "") + (loading ? " loading" : "")}
      style={{ insetBlockStart: index * p.height, blockSize: p.height }}
      onClick={(e) => p.onRowClick(row, index, e)}
    >
      <span className="c-check" role="gridcell">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={text.select(row.name)}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={() => p.onToggle(row, index)}
        />
      </span>
      {p.cells.map((id) => (
        <span key={id} className={`c-${id}` + (p.pins[id] !== undefined ? " pinned" : "")} style={pinStyle(p.pins[id])} role="gridcell">
          {COLUMNS[id].cell(row, p.now, text)}
        </span>
      ))}
    </div>
  );
});
