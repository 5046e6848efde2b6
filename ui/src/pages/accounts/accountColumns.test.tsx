import { act, renderHook } from "@testing-library/react";
import { beforeEach, expect, it } from "vitest";

import { completeLayout, shownColumns, useAccountsTableModel } from "./accountColumns";

beforeEach(() => localStorage.clear());

const ids = (model: Parameters<typeof shownColumns>[0]) => shownColumns(model).map((c) => c.id);

it("keeps the name pinned at the start whatever the order, until it is unpinned", () => {
  const { result } = renderHook(() => useAccountsTableModel());
  act(() => result.current.setColumnOrder(["panel", "kind", "status", "usage", "expiry", "online", "name"]));
  expect(ids(result.current)[0]).toBe("name");
  expect(result.current.getColumn("name")?.getIsPinned()).toBe("start");

  act(() => result.current.getColumn("name")?.pin(false));
  expect(ids(result.current).at(-1)).toBe("name");
  act(() => result.current.getColumn("status")?.pin("start"));
  expect(ids(result.current)[0]).toBe("status");
  expect(JSON.parse(localStorage.getItem("paneldeck.table.layout") ?? "{}").pinning).toEqual({ start: ["status"], end: [] });
});

it("gives a view saved before pinning existed the pinned name column", () => {
  expect(completeLayout({ visibility: {}, order: ["panel", "name"], sizing: {} }).pinning).toEqual({ start: ["name"], end: [] });
});
