import { fireEvent, screen } from "@testing-library/react";

/** Opens the combobox `testId`, types `search` and presses Enter on the first match, as a user does. */
export function chooseOption(testId: string, search: string) {
  fireEvent.keyDown(screen.getByTestId(testId), { key: "ArrowDown" });
  const input = screen.getByTestId(`${testId}-search`);
  fireEvent.change(input, { target: { value: search } });
  fireEvent.keyDown(input, { key: "Enter" });
}

/** The ids of the choices the combobox `testId` offers (opens it, reads them, closes it). */
export function optionIds(testId: string): string[] {
  fireEvent.keyDown(screen.getByTestId(testId), { key: "ArrowDown" });
  const ids = screen.getAllByTestId(`${testId}-option`).map((o) => o.getAttribute("data-value-id") ?? "");
  fireEvent.keyDown(screen.getByTestId(`${testId}-search`), { key: "Escape" });
  return ids;
}
