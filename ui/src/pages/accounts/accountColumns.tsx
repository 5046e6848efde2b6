import {
  columnOrderingFeature,
  columnPinningFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  tableFeatures,
  useTable,
  type ColumnOrderState,
  type ColumnPinningState,
  type ColumnSizingState,
  type ColumnVisibilityState,
  type ReactTable,
  type Updater,
} from "@tanstack/react-table";
import type { TFunction } from "i18next";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { AccountRow, SortColumn } from "../../api/types";
import { UsageBarView } from "../../components/UsageBar";
import { formatDateTime, formatRelative } from "../../util/format";

/** The table's columns, in their default order. */
export const COLUMN_IDS = ["name", "panel", "kind", "status", "usage", "expiry", "online"] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** The words every row shows, translated once per language: i18next's `t` costs microseconds a
 *  call, rows call it several times each, and a fast scroll draws 30 rows a frame. */
export type RowText = {
  lang: string;
  /** `t(key)`, remembered. */
  label: (key: string) => string;
  /** The checkbox's label for an account. */
  select: (name: string) => string;
};

export function rowText(t: TFunction, lang: string): RowText {
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

type Spec = {
  /** The order Rust sorts by when this column's header is pressed. */
  sort: SortColumn;
  /** Its header's translation key. */
  label: string;
  /** Default and least width, px: the least keeps every column on screen beside the detail pane. */
  size: number;
  minSize: number;
  cell: (row: AccountRow, now: number, text: RowText) => ReactNode;
};

/** What each column shows. Cells are plain functions of the row (no hooks): many mount on every
 *  scroll frame. Text that may not fit ends in an ellipsis, with the whole of it on hover. */
export const COLUMNS: Record<ColumnId, Spec> = {
  name: {
    sort: "name",
    label: "accounts.col.name",
    size: 240,
    minSize: 140,
    cell: (row) => (
      <>
        <strong dir="auto" title={row.name}>
          {row.name}
        </strong>
        {row.email && row.email !== row.name && (
          <span className="muted small row-email" dir="auto" title={row.email}>
            {row.email}
          </span>
        )}
      </>
    ),
  },
  panel: {
    sort: "panel",
    label: "accounts.col.panel",
    size: 150,
    minSize: 72,
    cell: (row) => (
      <>
        <span className="dot" style={{ background: row.panelColor }} aria-hidden />
        <span className="ellipsis" dir="auto" title={row.panelName}>
          {row.panelName}
        </span>
      </>
    ),
  },
  kind: {
    sort: "kind",
    label: "win.col.kind",
    size: 124,
    minSize: 64,
    // KindBadge markup, without a translation hook per row.
    cell: (row, _now, { label }) => (
      // dir=auto: a Latin kind name in a right-to-left page is cut at its own end ("Marz…").
      <span className={`badge kind-${row.kind}`} dir="auto" title={label(`kinds.${row.kind}`)}>
        {label(`kinds.${row.kind}`)}
      </span>
    ),
  },
  status: {
    sort: "status",
    label: "accounts.col.status",
    size: 100,
    minSize: 64,
    cell: (row, _now, { label }) => (
      <span className={`badge status-${row.status}`} title={label(`status.${row.status}`)}>
        {label(`status.${row.status}`)}
      </span>
    ),
  },
  usage: {
    sort: "used",
    label: "accounts.col.usage",
    size: 170,
    minSize: 88,
    cell: (row, _now, { lang, label }) =>
      row.limitBytes === null && row.usedBytes === 0 && row.kind === "pterodactyl" ? (
        <span className="muted">—</span>
      ) : (
        <UsageBarView
          used={Number(row.usedBytes)}
          limit={row.limitBytes === null || row.limitBytes === undefined ? null : Number(row.limitBytes)}
          locale={lang}
          unlimited={label("accounts.unlimited")}
        />
      ),
  },
  expiry: {
    sort: "expiry",
    label: "accounts.col.expiry",
    size: 110,
    minSize: 64,
    cell: (row, now, { lang, label }) =>
      row.expiresAtMs === null || row.expiresAtMs === undefined ? (
        <span className="muted">{label("accounts.never")}</span>
      ) : (
        <span title={formatDateTime(Number(row.expiresAtMs), lang)}>{formatRelative(Number(row.expiresAtMs), now, lang)}</span>
      ),
  },
  online: {
    sort: "lastOnline",
    label: "accounts.col.online",
    size: 110,
    minSize: 72,
    cell: (row, now, { lang, label }) =>
      row.online ? (
        <span className="online-dot" title={label("accounts.onlineNow")}>
          {label("accounts.onlineNow")}
        </span>
      ) : row.lastOnlineMs ? (
        <span className="muted" title={formatDateTime(Number(row.lastOnlineMs), lang)}>
          {formatRelative(Number(row.lastOnlineMs), now, lang)}
        </span>
      ) : (
        <span className="muted">—</span>
      ),
  },
};

const features = tableFeatures({ columnVisibilityFeature, columnOrderingFeature, columnPinningFeature, columnSizingFeature, columnResizingFeature });
/** The model's columns: ids and sizes (what a cell shows is `COLUMNS`). The name always shows. */
const columnDefs = COLUMN_IDS.map((id) => ({
  id,
  size: COLUMNS[id].size,
  minSize: COLUMNS[id].minSize,
  maxSize: 640,
  enableHiding: id !== "name",
}));
/** Rows are windowed from Rust, not handed to the table: the model holds only the columns. */
const NO_ROWS: AccountRow[] = [];

/** `pinning`: columns kept at the logical start (or end) of the row, before the others
 *  whatever their order; start is the right side in right-to-left languages. */
export type Layout = { visibility: ColumnVisibilityState; order: ColumnOrderState; sizing: ColumnSizingState; pinning: ColumnPinningState };
const LAYOUT_KEY = "paneldeck.table.layout";
const defaultPinning = (): ColumnPinningState => ({ start: ["name"], end: [] });
const defaultLayout = (): Layout => ({ visibility: {}, order: [...COLUMN_IDS], sizing: {}, pinning: defaultPinning() });

const isColumn = (id: string) => (COLUMN_IDS as readonly string[]).includes(id);

/** A layout from storage or a saved view, made whole: views saved before pinning existed
 *  pin the name column. */
export function completeLayout(l: Partial<Layout>): Layout {
  const pinning = l.pinning ? { start: l.pinning.start.filter(isColumn), end: l.pinning.end.filter(isColumn) } : defaultPinning();
  return { visibility: l.visibility ?? {}, order: l.order ?? [...COLUMN_IDS], sizing: l.sizing ?? {}, pinning };
}

function savedLayout(): Layout {
  try {
    const saved = JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? "null") as Partial<Layout> | null;
    if (!saved) return defaultLayout();
    // Columns added since the layout was saved go at its end.
    const order = (saved.order ?? []).filter((id) => (COLUMN_IDS as readonly string[]).includes(id));
    for (const id of COLUMN_IDS) if (!order.includes(id)) order.push(id);
    return completeLayout({ visibility: { ...saved.visibility, name: true }, order, sizing: saved.sizing ?? {}, pinning: saved.pinning });
  } catch {
    return defaultLayout();
  }
}

const apply = <T,>(updater: Updater<T>, old: T): T => (typeof updater === "function" ? (updater as (o: T) => T)(old) : updater);

export type AccountsTableModel = ReactTable<typeof features, AccountRow> & {
  /** The whole layout, to save in a view or put back. */
  layout: Layout;
  setLayout: (l: Layout) => void;
  density: Density;
  setDensity: (d: Density) => void;
};

/**
 * The accounts table's column model on TanStack Table: which columns show, in what order, how
 * wide — kept in localStorage so it survives restarts.
 */
export function useAccountsTableModel(): AccountsTableModel {
  const { i18n } = useTranslation();
  const [layout, setWholeLayout] = useState<Layout>(savedLayout);
  const setLayout = useCallback((l: Layout | ((old: Layout) => Layout)) => setWholeLayout((old) => completeLayout(typeof l === "function" ? l(old) : l)), []);
  useEffect(() => localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout)), [layout]);
  const table = useTable({
    features,
    columns: columnDefs,
    data: NO_ROWS,
    state: { columnVisibility: layout.visibility, columnOrder: layout.order, columnSizing: layout.sizing, columnPinning: layout.pinning },
    onColumnPinningChange: (u) => setLayout((l) => ({ ...l, pinning: apply(u, l.pinning) })),
    onColumnVisibilityChange: (u) => setLayout((l) => ({ ...l, visibility: apply(u, l.visibility) })),
    onColumnOrderChange: (u) => setLayout((l) => ({ ...l, order: apply(u, l.order) })),
    onColumnSizingChange: (u) => setLayout((l) => ({ ...l, sizing: apply(u, l.sizing) })),
    columnResizeMode: "onChange",
    columnResizeDirection: i18n.dir(i18n.language) === "rtl" ? "rtl" : "ltr",
  });
  const [density, setDensity] = useDensity();
  return Object.assign(table, { layout, setLayout, density, setDensity });
}

/** The columns on screen in their place: those pinned to the start, the others in their
 *  order, those pinned to the end. */
export function shownColumns(model: AccountsTableModel) {
  return [...model.getStartVisibleLeafColumns(), ...model.getCenterVisibleLeafColumns(), ...model.getEndVisibleLeafColumns()];
}

/** Moves column `id` one place earlier (-1) or later (+1). */
export function moveColumn(order: ColumnOrderState, id: string, by: -1 | 1): ColumnOrderState {
  const from = order.indexOf(id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= order.length) return order;
  const next = order.filter((c) => c !== id);
  next.splice(to, 0, id);
  return next;
}

export const resetLayout = defaultLayout;

export type Density = "comfortable" | "compact";
const DENSITY_KEY = "paneldeck.table.density";
/** Row heights, px. */
export const ROW_HEIGHTS: Record<Density, number> = { comfortable: 44, compact: 30 };

/** How tall the table's rows are, kept across restarts. */
function useDensity(): [Density, (d: Density) => void] {
  const [density, setDensity] = useState<Density>(() => (localStorage.getItem(DENSITY_KEY) === "compact" ? "compact" : "comfortable"));
  const set = useCallback((d: Density) => {
    localStorage.setItem(DENSITY_KEY, d);
    setDensity(d);
  }, []);
  return [density, set];
}
