import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, expect, it, vi } from "vitest";

import { Combobox, MultiCombobox, type ComboOption } from "./Combobox";

afterEach(cleanup);

const PANELS: ComboOption[] = [
  { value: "p1", label: "Frankfurt 3x-ui", hint: "3x-ui" },
  { value: "p2", label: "Helsinki Marzban", hint: "Marzban" },
  { value: "p3", label: "Game servers", hint: "Pterodactyl" },
];

function Single({ onChange }: { onChange: (v: string) => void }) {
  const [value, setValue] = useState("p1");
  return (
    <Combobox
      label="Into panel"
      options={PANELS}
      value={value}
      onChange={(v) => {
        setValue(v);
        onChange(v);
      }}
      testId="pick"
    />
  );
}

const optionNames = () => screen.queryAllByRole("option").map((o) => o.textContent);

function openByTyping(text: string) {
  const trigger = screen.getByRole("combobox", { name: "Into panel" });
  fireEvent.keyDown(trigger, { key: text });
  return screen.getByTestId("pick-search");
}

it("is a labelled combobox that shows the chosen option", () => {
  render(<Single onChange={vi.fn()} />);
  const trigger = screen.getByRole("combobox", { name: "Into panel" });
  expect(trigger).toHaveTextContent("Frankfurt 3x-ui · 3x-ui");
  expect(trigger).toHaveAttribute("aria-expanded", "false");
});

it("typing on the closed control opens the list filtered by what was typed", () => {
  render(<Single onChange={vi.fn()} />);
  const search = openByTyping("h");
  expect(search).toHaveValue("h");
  expect(screen.getByRole("listbox", { name: "Into panel" })).toBeInTheDocument();
  expect(optionNames()).toEqual(["Helsinki MarzbanMarzban"]);
  fireEvent.change(search, { target: { value: "ERV" } });
  expect(optionNames()).toEqual(["Game serversPterodactyl"]);
  fireEvent.change(search, { target: { value: "" } });
  expect(optionNames()).toHaveLength(3);
});

it("arrows move and Enter chooses the highlighted option, closing the list", () => {
  const onChange = vi.fn();
  render(<Single onChange={onChange} />);
  const trigger = screen.getByRole("combobox", { name: "Into panel" });
  fireEvent.keyDown(trigger, { key: "ArrowDown" });
  const search = screen.getByTestId("pick-search");
  // The chosen option is highlighted first; one down is the next.
  fireEvent.keyDown(search, { key: "ArrowDown" });
  fireEvent.keyDown(search, { key: "Enter" });
  expect(onChange).toHaveBeenCalledWith("p2");
  expect(screen.queryByRole("listbox")).not.toBeInTheDocument();
  expect(trigger).toHaveTextContent("Helsinki Marzban");
});

it("Escape closes the list without choosing", () => {
  const onChange = vi.fn();
  render(<Single onChange={onChange} />);
  const search = openByTyping("g");
  fireEvent.keyDown(search, { key: "Escape" });
  expect(screen.queryByRole("listbox")).not.toBeInTheDocument();
  expect(onChange).not.toHaveBeenCalled();
});

it("says so when nothing matches", () => {
  render(<Single onChange={vi.fn()} />);
  openByTyping("q");
  expect(optionNames()).toEqual([]);
  expect(screen.getByText("Nothing matches.")).toBeInTheDocument();
});

it("the multiple kind toggles options and stays open", () => {
  const onChange = vi.fn();
  render(<MultiCombobox label="Panels" options={PANELS} values={["p3"]} onChange={onChange} summary="1 panel" testId="pick" />);
  const trigger = screen.getByRole("combobox", { name: "Panels" });
  expect(trigger).toHaveTextContent("1 panel");
  fireEvent.click(trigger);
  expect(screen.getByRole("listbox")).toHaveAttribute("aria-multiselectable", "true");
  const game = screen.getByRole("option", { name: /Game servers/ });
  expect(game).toHaveAttribute("aria-checked", "true");
  fireEvent.click(screen.getByRole("option", { name: /Frankfurt/ }));
  expect(onChange).toHaveBeenLastCalledWith(["p3", "p1"]);
  fireEvent.click(game);
  expect(onChange).toHaveBeenLastCalledWith([]);
  expect(screen.getByRole("listbox")).toBeInTheDocument();
});
