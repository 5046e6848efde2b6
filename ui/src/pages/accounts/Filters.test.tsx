import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";

import type { AccountQuery } from "../../api/types";
import { chooseOption } from "../../test/combobox";
import { initialQuery } from "./AccountsView";
import { Filters } from "./Filters";
import { panelView } from "../../test/panels";

afterEach(cleanup);

const PANELS = [panelView("p1", "Helsinki", "marzban"), panelView("p2", "Frankfurt", "xui"), panelView("p3", "Game servers", "pterodactyl")];

function show(query: AccountQuery, onChange = vi.fn()) {
  render(<Filters query={query} panels={PANELS} onChange={onChange} />);
  return onChange;
}

it("filters by the panels picked by typing, and names what is picked", () => {
  const onChange = show(initialQuery);
  const picker = screen.getByRole("combobox", { name: "Panels" });
  expect(picker).toHaveTextContent("All panels");
  chooseOption("panel-filter", "frank");
  expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ panelIds: ["p2"] }));
  // The list stays open for more; the kind matches too.
  fireEvent.change(screen.getByTestId("panel-filter-search"), { target: { value: "pterodactyl" } });
  expect(within(screen.getByRole("listbox", { name: "Panels" })).getAllByRole("option").map((o) => o.textContent)).toEqual(["Game serversPterodactyl"]);
});

it("says which panel, or how many, the filter keeps", () => {
  show({ ...initialQuery, panelIds: ["p1"] });
  expect(screen.getByRole("combobox", { name: "Panels" })).toHaveTextContent("Helsinki");
  cleanup();
  show({ ...initialQuery, panelIds: ["p1", "p3"] });
  expect(screen.getByRole("combobox", { name: "Panels" })).toHaveTextContent("2 panels");
});
