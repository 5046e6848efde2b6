import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";

import type { ItemRecord } from "../../api/types";
import { groupSame, PlanItemList, RecordList } from "./PlanItems";
import { failure, item } from "./testing";

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

it("groups skips by their reason, not by the planner's English detail shown on hover", () => {
  const skipped = (seq: number, detail: string): ItemRecord => ({
    ...failure(seq, `user-${seq}`, detail),
    state: "skipped",
    error: { code: "unlimited_expiry", detail },
  });
  const records = [skipped(1, "Never expires: nothing to extend."), skipped(2, "On hold: it has no expiry yet."), skipped(3, "Never expires: nothing to extend.")];
  records.push(failure(4, "bob", "timed out"), failure(5, "carol", "refused"));
  render(<RecordList records={records} page={50} showState />);
  const groups = screen.getAllByTestId("bulk-group");
  expect(groups).toHaveLength(1);
  expect(groups[0]).toHaveAttribute("data-count", "3");
  // Failures with different words stay apart: the panel's words are shown.
  expect(screen.getAllByTestId("bulk-record").filter((el) => !groups[0]?.contains(el))).toHaveLength(2);
});
