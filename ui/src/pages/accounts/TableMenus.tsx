import { ContextMenu, DropdownMenu } from "radix-ui";
import type { ReactElement } from "react";
import { useTranslation } from "react-i18next";

import { COLUMN_IDS, COLUMNS, moveColumn, resetLayout, shownColumns, type AccountsTableModel, type ColumnId, type Density } from "./accountColumns";

/** One command of a menu. */
export type MenuEntry = {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** The key that does the same in the table, shown at the item's end. */
  shortcut?: string;
  /** Starts a new group (a line above it). */
  group?: boolean;
};

function Entries({ entries }: { entries: MenuEntry[] }) {
  return entries.map((e) => [
    e.group ? <ContextMenu.Separator key={`${e.id}-sep`} className="menu-sep" /> : null,
    <ContextMenu.Item key={e.id} className="menu-item" disabled={e.disabled} onSelect={e.onSelect} data-testid={`menu-${e.id}`}>
      {e.label}
      {e.shortcut && <span className="kbd">{e.shortcut}</span>}
    </ContextMenu.Item>,
  ]);
}

/**
 * A right-click menu (Radix: arrow keys, type-ahead, Escape) over `children`. `entries` is asked
 * when it opens, for what was right-clicked; no entries, no menu.
 */
export function ContextMenuOver({ children, entries, label }: { children: ReactElement; entries: MenuEntry[]; label: string }) {
  return (
    <ContextMenu.Root modal={false}>
      <ContextMenu.Trigger asChild>{children}</ContextMenu.Trigger>
      <ContextMenu.Portal>
        {entries.length > 0 && (
          <ContextMenu.Content className="menu" aria-label={label} data-testid="context-menu">
            <Entries entries={entries} />
          </ContextMenu.Content>
        )}
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}

/** The right-click menu of a column's header: its order, its place, whether it shows. */
export function headerEntries(
  model: AccountsTableModel,
  id: ColumnId,
  sort: { column: string; descending: boolean },
  onSort: (descending: boolean) => void,
  t: (key: string) => string,
): MenuEntry[] {
  const order = model.layout.order;
  const visible = shownColumns(model).map((c) => c.id);
  const pinned = model.getColumn(id)?.getIsPinned() === "start";
  const at = visible.indexOf(id);
  const move = (by: -1 | 1) => {
    // Past the hidden columns between, to the next visible place.
    const target = visible[at + by];
    if (!target) return;
    let next = order;
    while (next.indexOf(id) !== next.indexOf(target)) next = moveColumn(next, id, by);
    model.setColumnOrder(next);
  };
  return [
    { id: "sort-asc", label: t("win.sortAsc"), onSelect: () => onSort(false), disabled: sort.column === COLUMNS[id].sort && !sort.descending },
    { id: "sort-desc", label: t("win.sortDesc"), onSelect: () => onSort(true), disabled: sort.column === COLUMNS[id].sort && sort.descending },
    { id: "move-earlier", label: t("win.moveEarlier"), onSelect: () => move(-1), disabled: at <= 0, group: true },
    { id: "move-later", label: t("win.moveLater"), onSelect: () => move(1), disabled: at < 0 || at >= visible.length - 1 },
    { id: "pin", label: pinned ? t("pin.unpin") : t("pin.start"), onSelect: () => model.getColumn(id)?.pin(pinned ? false : "start") },
    { id: "fit", label: t("win.resetWidth"), onSelect: () => model.getColumn(id)?.resetSize() },
    { id: "hide", label: t("win.hideColumn"), onSelect: () => model.getColumn(id)?.toggleVisibility(false), disabled: id === "name", group: true },
    { id: "reset", label: t("win.resetColumns"), onSelect: () => model.setLayout(resetLayout()) },
  ];
}

/** The toolbar's "Columns" menu: which columns show, the row density, the default layout. */
export function ColumnChooser({ model }: { model: AccountsTableModel }) {
  const { t } = useTranslation();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" data-testid="column-chooser">
          {t("win.columns")} ▾
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">{t("win.columns")}</DropdownMenu.Label>
          {COLUMN_IDS.map((id) => {
            const column = model.getColumn(id);
            return (
              <DropdownMenu.CheckboxItem
                key={id}
                className="menu-item"
                checked={column?.getIsVisible() ?? true}
                disabled={id === "name"}
                onCheckedChange={(on) => column?.toggleVisibility(on)}
                onSelect={(e) => e.preventDefault()}
                data-testid={`column-toggle-${id}`}
              >
                <span className="menu-check" aria-hidden>
                  <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
                </span>
                {t(COLUMNS[id].label)}
              </DropdownMenu.CheckboxItem>
            );
          })}
          <DropdownMenu.Separator className="menu-sep" />
          <DropdownMenu.Label className="menu-label">{t("win.density")}</DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={model.density} onValueChange={(v) => model.setDensity(v as Density)}>
            {(["comfortable", "compact"] as const).map((d) => (
              <DropdownMenu.RadioItem key={d} value={d} className="menu-item" onSelect={(e) => e.preventDefault()} data-testid={`density-${d}`}>
                <span className="menu-check" aria-hidden>
                  <DropdownMenu.ItemIndicator>●</DropdownMenu.ItemIndicator>
                </span>
                {t(`win.density_${d}`)}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="menu-sep" />
          <DropdownMenu.Item className="menu-item" onSelect={() => model.setLayout(resetLayout())}>
            {t("win.resetColumns")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
