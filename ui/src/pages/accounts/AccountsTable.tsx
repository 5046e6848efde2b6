import { useQueryClient } from "@tanstack/react-query";
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode, type UIEvent } from "react";
import { flushSync } from "react-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import { AHEAD_ROWS, useAccountWindow, windowLoaded, type Direction } from "../../api/accounts";
import type { AccountKey, AccountQuery, AccountRow, SortColumn } from "../../api/types";
import { UsageBarView } from "../../components/UsageBar";
import { formatDateTime, formatRelative } from "../../util/format";
import { useNow } from "../../util/useNow";
import { isSelected, type Selection } from "./selection";

export const ROW_HEIGHT = 44;
/** Rows rendered above and below the visible ones, so a wheel step shows no gap. More only
 *  adds DOM work to every frame of a fast scroll, where they are off screen at once. */
const OVERSCAN = 4;

type Column = { id: SortColumn | null; label: string; className: string };

type Props = {
  query: AccountQuery;
  selection: Selection;
  activeKey: AccountKey | null;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
  onSort: (column: SortColumn) => void;
  onCounts: (matched: number | null, total: number | null) => void;
};

/** `slots`: how many rows a window of this height can hold, at most; row `i` is drawn in
 *  slot `i % slots`. `direction`: the way the last scroll went. */
type Range = { first: number; last: number; slots: number; direction: Direction };

/** The rows (overscan included) that a scroller at `top` with `height` shows. */
function rangeAt(top: number, height: number): Omit<Range, "direction"> {
  const visible = Math.ceil(height / ROW_HEIGHT) + 1;
  const topRow = Math.floor(top / ROW_HEIGHT);
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

/** The accounts table: only the rows on screen exist in the DOM, and only their blocks (and a
 *  couple ahead of the scroll) are fetched from Rust. */
export function AccountsTable({ query, selection, activeKey, onRowClick, onToggle, onSort, onCounts }: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<Range>(() => ({ ...rangeAt(0, 600), direction: 1 }));
  const { first, last, slots, direction } = range;
  const { rowAt, matched, total, error } = useAccountWindow(query, first, last, direction);
  /** The account each slot drew last (see below). */
  const lastInSlot = useRef<AccountRow[]>([]);

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
      const next = rangeAt(el.scrollTop, el.clientHeight);
      if (windowLoaded(client, query, next.first, next.last)) flushSync(() => follow(next));
      else follow(next);
    },
    [client, query, follow],
  );
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const followEl = () => follow(rangeAt(el.scrollTop, el.clientHeight));
    followEl();
    const observer = new ResizeObserver(followEl);
    observer.observe(el);
    return () => observer.disconnect();
  }, [follow]);
  useLayoutEffect(() => onCounts(matched, total), [matched, total, onCounts]);
  // A new filter starts at the top.
  useLayoutEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [query.search, query.statuses, query.panelIds, query.kinds, query.expiringWithinDays, query.depleted, query.online]);

  // Rows are memoized: the handlers they get must not change on every render of the page.
  const handlers = useRef({ onRowClick, onToggle });
  useLayoutEffect(() => {
    handlers.current = { onRowClick, onToggle };
  });
  const rowClick = useCallback((row: AccountRow, index: number, e: MouseEvent) => handlers.current.onRowClick(row, index, e), []);
  const rowToggle = useCallback((row: AccountRow, index: number) => handlers.current.onToggle(row, index), []);

  const count = matched ?? 0;
  const now = useNow();
  const lang = i18n.language;
  const text = useMemo(() => rowText(t, lang), [t, lang]);
  const columns: Column[] = [
    { id: "name", label: text.label("accounts.col.name"), className: "c-name" },
    { id: "panel", label: text.label("accounts.col.panel"), className: "c-panel" },
    { id: "status", label: text.label("accounts.col.status"), className: "c-status" },
    { id: "used", label: text.label("accounts.col.usage"), className: "c-usage" },
    { id: "expiry", label: text.label("accounts.col.expiry"), className: "c-expiry" },
    { id: "lastOnline", label: text.label("accounts.col.online"), className: "c-online" },
  ];

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
          style={{ insetBlockStart: pendingFrom * ROW_HEIGHT, blockSize: (i - pendingFrom) * ROW_HEIGHT }}
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
        loading={!row}
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
    <div className="table" role="grid" aria-rowcount={count} data-testid="accounts-table">
      <div className="table-head" role="row">
        <span className="c-check" />
        {columns.map((c) => (
          <button
            key={c.label}
            type="button"
            role="columnheader"
            className={`th ${c.className}`}
            aria-sort={query.sort === c.id ? (query.descending ? "descending" : "ascending") : "none"}
            onClick={() => c.id && onSort(c.id)}
          >
            {c.label}
            {query.sort === c.id && <span aria-hidden>{query.descending ? " ▾" : " ▴"}</span>}
          </button>
        ))}
      </div>
      <div className="table-body" ref={scroller} onScroll={onScroll}>
        <div className="table-rows" style={{ blockSize: count * ROW_HEIGHT }}>
          {drawn}
        </div>
        {matched === 0 && <p className="muted empty-table">{total === 0 ? t("accounts.emptySnapshot") : t("accounts.noMatch")}</p>}
        {error && <p className="notice error">{error.message}</p>}
      </div>
    </div>
  );
}

/** The words every row shows, translated once per language: i18next's `t` costs microseconds a
 *  call, rows call it several times each, and a fast scroll draws 30 rows a frame. */
type RowText = {
  lang: string;
  /** `t(key)`, remembered. */
  label: (key: string) => string;
  /** The checkbox's label for an account. */
  select: (name: string) => string;
};

function rowText(t: TFunction, lang: string): RowText {
  const labels = new Map<string, string>();
  // The sentence around the name, translated once with a marker where the name goes.
  const marker = "\u0000";
  const [before = "", after = ""] = t("accounts.select", { name: marker }).split(marker);
  return {
    lang,
    label: (key) => {
      let label = labels.get(key);
      if (label === undefined) {
        label = t(key);
        labels.set(key, label);
      }
      return label;
    },
    select: (name) => before + name + after,
  };
}

type RowProps = {
  row: AccountRow;
  index: number;
  /** The row at `index` is still loading: `row` is what the slot showed before, kept hidden. */
  loading: boolean;
  selected: boolean;
  active: boolean;
  now: number;
  text: RowText;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
};

/** One account; re-renders only when its row, place, selection, activity or the clock change. */
const TableRow = memo(function TableRow({ row, index, loading, selected, active, now, text, onRowClick, onToggle }: RowProps) {
  const { lang, label } = text;
  // The slot now shows another account: focus left in it (its checkbox) must not carry over,
  // or Space would toggle an account the user never picked.
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
      data-testid={loading ? undefined : "account-row"}
      data-name={row.name}
      className={"tr" + (selected ? " selected" : "") + (active ? " active" : "") + (loading ? " loading" : "")}
      style={{ insetBlockStart: index * ROW_HEIGHT, blockSize: ROW_HEIGHT }}
      onClick={(e) => onRowClick(row, index, e)}
    >
      <span className="c-check">
        <input
          type="checkbox"
          aria-label={text.select(row.name)}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onToggle(row, index)}
        />
      </span>
      <span className="c-name">
        <strong dir="auto">{row.name}</strong>
        {row.email && row.email !== row.name && (
          <span className="muted small" dir="auto">
            {row.email}
          </span>
        )}
      </span>
      <span className="c-panel">
        <span className="dot" style={{ background: row.panelColor }} aria-hidden />
        <span className="ellipsis">{row.panelName}</span>
        {/* KindBadge and StatusBadge markup, without a translation hook per row. */}
        <span className={`badge kind-${row.kind}`}>{label(`kinds.${row.kind}`)}</span>
      </span>
      <span className="c-status">
        <span className={`badge status-${row.status}`}>{label(`status.${row.status}`)}</span>
      </span>
      <span className="c-usage">
        {row.limitBytes === null && row.usedBytes === 0 && row.kind === "pterodactyl" ? (
          <span className="muted">—</span>
        ) : (
          <UsageBarView
            used={Number(row.usedBytes)}
            limit={row.limitBytes === null ? null : Number(row.limitBytes)}
            locale={lang}
            unlimited={label("accounts.unlimited")}
          />
        )}
      </span>
      <span className="c-expiry">
        {row.expiresAtMs === null ? (
          <span className="muted">{label("accounts.never")}</span>
        ) : (
          <span title={formatDateTime(Number(row.expiresAtMs), lang)}>{formatRelative(Number(row.expiresAtMs), now, lang)}</span>
        )}
      </span>
      <span className="c-online">
        {row.online ? (
          <span className="online-dot" title={label("accounts.onlineNow")}>
            {label("accounts.onlineNow")}
          </span>
        ) : row.lastOnlineMs ? (
          <span className="muted">{formatRelative(Number(row.lastOnlineMs), now, lang)}</span>
        ) : (
          <span className="muted">—</span>
        )}
      </span>
    </div>
  );
});
