import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";

import { groupSame, PlanItemList } from "./PlanItems";
import { item } from "./testing";

afterEach(cleanup);

const unsupported = { skip: { reason: "unsupported" as const, message: "Pterodactyl has no traffic." }, changes: [] };

it("groups only keys shared by two or more rows, keeping the rest in order", () => {
  const { single, groups } = groupSame(["a1", "b1", "a2", "c1", "a3"], (s) => (s.startsWith("c") ? null : s[0] ?? null));
  expect(single).toEqual(["b1", "c1"]);
  expect(groups).toEqual([["a", ["a1", "a2", "a3"]]]);
});

it("shows 25,000 skips for one reason as one line, and the changes one by one", () => {
  const items = [item(0, "p1", "alice")];
  for (let i = 1; i <= 25_000; i++) items.push(item(i, "p1", `user-${i}`, unsupported));
  items.push(item(25_001, "p1", "bob", { skip: { reason: "no_change", message: "Already so." }, changes: [] }));
  render(<PlanItemList items={items} filter="all" page={50} />);
  const group = screen.getByTestId("bulk-group");
  expect(group).toHaveAttribute("data-count", "25000");
  expect(group.querySelector("summary")).toHaveTextContent("25,000 accounts: This panel kind cannot do this.");
  // Inside, capped like any list: the first page only.
  expect(within(group).getAllByTestId("bulk-item")).toHaveLength(50);
  const outside = screen.getAllByTestId("bulk-item").filter((el) => !group.contains(el));
  expect(outside.map((el) => el.querySelector(".bulk-item-name")?.textContent)).toEqual(["alice", "bob"]);
});
