import { act, renderHook } from "@testing-library/react";
import { beforeEach, expect, it } from "vitest";

import { initialQuery } from "./AccountsView";
import { useSavedViews, viewQuery } from "./SavedViews";

const layout = { visibility: { kind: false }, order: ["name", "panel"], sizing: { name: 300 }, pinning: { start: ["name"], end: [] } };

beforeEach(() => localStorage.clear());

it("keeps a view's search, filters, sort and columns, not the window of rows", () => {
  const q = viewQuery({ ...initialQuery, search: "eu", expiringWithinDays: 7, sort: "expiry", offset: 300 });
  expect(q).toMatchObject({ search: "eu", expiringWithinDays: 7, sort: "expiry" });
  expect(q).not.toHaveProperty("offset");
  expect(q).not.toHaveProperty("limit");
});

it("saves views across restarts; the same name replaces the view, and one can be deleted", () => {
  const first = renderHook(() => useSavedViews());
  act(() => first.result.current[1]({ name: "EU this week", query: viewQuery({ ...initialQuery, search: "eu" }), layout }));
  act(() => first.result.current[1]({ name: "Anything", query: viewQuery(initialQuery), layout }));
  act(() => first.result.current[1]({ name: "EU this week", query: viewQuery({ ...initialQuery, search: "eu-2" }), layout }));
  first.unmount();

  const restarted = renderHook(() => useSavedViews());
  const [views, , remove] = restarted.result.current;
  expect(views.map((v) => v.name)).toEqual(["Anything", "EU this week"]);
  expect(views[1]?.query.search).toBe("eu-2");
  expect(views[1]?.layout).toEqual(layout);
  act(() => remove("Anything"));
  expect(restarted.result.current[0].map((v) => v.name)).toEqual(["EU this week"]);
});
