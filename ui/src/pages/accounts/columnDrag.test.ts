import { expect, it } from "vitest";

import { dropColumn } from "./columnDrag";

const ORDER = ["name", "panel", "kind", "status", "usage"];

it("puts a column dropped later after the target, and one dropped earlier before it", () => {
  expect(dropColumn(ORDER, ORDER, "panel", "status")).toEqual(["name", "kind", "status", "panel", "usage"]);
  expect(dropColumn(ORDER, ORDER, "usage", "kind")).toEqual(["name", "panel", "usage", "kind", "status"]);
  expect(dropColumn(ORDER, ORDER, "kind", "kind")).toBe(ORDER);
});

it("leaves hidden columns where they were", () => {
  // "kind" is hidden: dropping usage on panel puts it before panel, kind stays after panel.
  const visible = ["name", "panel", "status", "usage"];
  expect(dropColumn(ORDER, visible, "usage", "panel")).toEqual(["name", "usage", "panel", "kind", "status"]);
});
