import { memo, useCallback, useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import { useAccountWindow } from "../../api/accounts";
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

type Range = { first: number; last: number };

/** The rows (overscan included) that a scroller at `top` with `height` shows. */
function rangeAt(top: number, height: number): Range {
  return {
    first: Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN),
    last: Math.floor((top + height) / ROW_HEIGHT) + OVERSCAN,
  };
}

/** The accounts table: only the rows on screen exist in the DOM, and only their blocks are
 *  fetched from Rust. */
export function AccountsTable({ query, selection, activeKey, onRowClick, onToggle, onSort, onCounts }: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<Range>(() => rangeAt(0, 600));
  const { first, last } = range;
  const { rowAt, matched, total, error } = useAccountWindow(query, first, last);

  // Scroll events come many times a frame; the table re-renders only when the rows on screen
  // change.
  const follow = useCallback((el: HTMLElement) => {
    const next = rangeAt(el.scrollTop, el.clientHeight);
    setRange((r) => (r.first === next.first && r.last === next.last ? r : next));
  }, []);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    follow(el);
    const observer = new ResizeObserver(() => follow(el));
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

  const columns: Column[] = [
    { id: "name", label: t("accounts.col.name"), className: "c-name" },
    { id: "panel", label: t("accounts.col.panel"), className: "c-panel" },
    { id: "status", label: t("accounts.col.status"), className: "c-status" },
    { id: "used", label: t("accounts.col.usage"), className: "c-usage" },
    { id: "expiry", label: t("accounts.col.expiry"), className: "c-expiry" },
    { id: "lastOnline", label: t("accounts.col.online"), className: "c-online" },
  ];
  const count = matched ?? 0;
  const now = useNow();
  const lang = i18n.language;

  // Loaded rows are drawn one by one; each run of rows still loading is one placeholder.
  const drawn: ReactNode[] = [];
  let pendingFrom: number | null = null;
  let runs = 0;
  const end = Math.min(last, count - 1);
  for (let i = first; i <= end + 1; i++) {
    const row = i <= end ? rowAt(i) : undefined;
    if (!row && i <= end) {
      pendingFrom ??= i;
      continue;
    }
    if (pendingFrom !== null) {
      drawn.push(
        <div
          key={`pending-${runs++}`}
          className="pending-rows"
          aria-hidden
          style={{ insetBlockStart: pendingFrom * ROW_HEIGHT, blockSize: (i - pendingFrom) * ROW_HEIGHT }}
        />,
      );
      pendingFrom = null;
    }
    if (!row) continue;
    drawn.push(
      <TableRow
        key={`${row.key.panelId}/${row.key.nativeId}`}
        row={row}
        index={i}
        selected={isSelected(selection, row.key)}
        active={activeKey !== null && activeKey.panelId === row.key.panelId && activeKey.nativeId === row.key.nativeId}
        now={now}
        t={t}
        lang={lang}
        onRowClick={rowClick}
        onToggle={rowToggle}
      />,
    );
  }

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
      <div className="table-body" ref={scroller} onScroll={(e) => follow(e.currentTarget)}>
        <div className="table-rows" style={{ blockSize: count * ROW_HEIGHT }}>
          {drawn}
        </div>
        {matched === 0 && <p className="muted empty-table">{total === 0 ? t("accounts.emptySnapshot") : t("accounts.noMatch")}</p>}
        {error && <p className="notice error">{error.message}</p>}
      </div>
    </div>
  );
}

type RowProps = {
  row: AccountRow;
  index: number;
  selected: boolean;
  active: boolean;
  now: number;
  t: TFunction;
  lang: string;
  onRowClick: (row: AccountRow, index: number, e: MouseEvent) => void;
  onToggle: (row: AccountRow, index: number) => void;
};

/** One account; re-renders only when its row, place, selection, activity or the clock change. */
const TableRow = memo(function TableRow({ row, index, selected, active, now, t, lang, onRowClick, onToggle }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="account-row"
      data-name={row.name}
      className={"tr" + (selected ? " selected" : "") + (active ? " active" : "")}
      style={{ insetBlockStart: index * ROW_HEIGHT, blockSize: ROW_HEIGHT }}
      onClick={(e) => onRowClick(row, index, e)}
    >
      <span className="c-check">
        <input
          type="checkbox"
          aria-label={t("accounts.select", { name: row.name })}
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
        <span className={`badge kind-${row.kind}`}>{t(`kinds.${row.kind}`)}</span>
      </span>
      <span className="c-status">
        <span className={`badge status-${row.status}`}>{t(`status.${row.status}`)}</span>
      </span>
      <span className="c-usage">
        {row.limitBytes === null && row.usedBytes === 0 && row.kind === "pterodactyl" ? (
          <span className="muted">—</span>
        ) : (
          <UsageBarView
            used={Number(row.usedBytes)}
            limit={row.limitBytes === null ? null : Number(row.limitBytes)}
            locale={lang}
            unlimited={t("accounts.unlimited")}
          />
        )}
      </span>
      <span className="c-expiry">
        {row.expiresAtMs === null ? (
          <span className="muted">{t("accounts.never")}</span>
        ) : (
          <span title={formatDateTime(Number(row.expiresAtMs), lang)}>{formatRelative(Number(row.expiresAtMs), now, lang)}</span>
        )}
      </span>
      <span className="c-online">
        {row.online ? (
          <span className="online-dot" title={t("accounts.onlineNow")}>
            {t("accounts.onlineNow")}
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
