import { useState, type DragEvent } from "react";

import type { ColumnOrderState } from "@tanstack/react-table";

import { shownColumns, type AccountsTableModel } from "./accountColumns";

/**
 * The column order after dropping `dragged` on `target`: it takes the target's place, so it
 * lands after it when moved later and before it when moved earlier (hidden columns keep
 * their places between).
 */
export function dropColumn(order: ColumnOrderState, visible: string[], dragged: string, target: string): ColumnOrderState {
  const from = visible.indexOf(dragged);
  const to = visible.indexOf(target);
  if (from < 0 || to < 0 || from === to) return order;
  const next = order.filter((id) => id !== dragged);
  const at = next.indexOf(target);
  if (at < 0) return order;
  next.splice(from < to ? at + 1 : at, 0, dragged);
  return next;
}

/** Where a dragged header would land, for the marker: before or after the one under it. */
export type DropSide = "before" | "after";

/**
 * Reordering columns by dragging their headers (HTML5 drag and drop); the new order goes
 * through the table model, which saves the layout. A column moves only among those with the
 * same pinning: pinned ones stay at the start whatever the order. The keyboard way is the
 * header menu's "Move earlier / later".
 */
export function useColumnDrag(model: AccountsTableModel) {
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<{ id: string; side: DropSide } | null>(null);
  const visible = shownColumns(model).map((c) => c.id);
  const pinOf = (id: string) => model.getColumn(id)?.getIsPinned() ?? false;
  const accepts = (target: string) => dragged !== null && dragged !== target && pinOf(dragged) === pinOf(target);
  const end = () => {
    setDragged(null);
    setOver(null);
  };

  /** Props for the part of a header that is picked up (its button). */
  const source = (id: string) => ({
    draggable: true,
    onDragStart: (e: DragEvent) => {
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", id);
      setDragged(id);
    },
    onDragEnd: end,
  });

  /** Props for a whole header cell, where a column is dropped. */
  const target = (id: string) => ({
    onDragOver: (e: DragEvent) => {
      if (!accepts(id) || dragged === null) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      const side: DropSide = visible.indexOf(dragged) < visible.indexOf(id) ? "after" : "before";
      if (over?.id !== id || over.side !== side) setOver({ id, side });
    },
    onDragLeave: () => {
      if (over?.id === id) setOver(null);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      if (accepts(id) && dragged !== null) model.setColumnOrder(dropColumn(model.layout.order, visible, dragged, id));
      end();
    },
  });

  /** The marker class of header `id` while a drag is on. */
  const marker = (id: string): string =>
    (dragged === id ? " dragging" : "") + (over?.id === id ? ` drop-${over.side}` : "");

  return { source, target, marker };
}
