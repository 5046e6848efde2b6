import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";

import { Dialog } from "./Dialog";

afterEach(cleanup);

function renderDialog(disabled: boolean) {
  const onSubmit = vi.fn();
  const onClose = vi.fn();
  render(
    <Dialog
      title="Rename"
      onClose={onClose}
      footer={
        <button type="button" className="primary" disabled={disabled} onClick={onSubmit}>
          OK
        </button>
      }
    >
      <input aria-label="name" />
      <textarea aria-label="note" />
    </Dialog>,
  );
  return { onSubmit, onClose };
}

it("focuses the first field, and Enter in it presses the primary button", () => {
  const { onSubmit } = renderDialog(false);
  const field = screen.getByLabelText("name");
  expect(document.activeElement).toBe(field);
  fireEvent.keyDown(field, { key: "Enter" });
  expect(onSubmit).toHaveBeenCalledTimes(1);
});

it("leaves Enter alone in a text area and while the primary button is disabled", () => {
  const first = renderDialog(false);
  fireEvent.keyDown(screen.getByLabelText("note"), { key: "Enter" });
  expect(first.onSubmit).not.toHaveBeenCalled();
  cleanup();
  const second = renderDialog(true);
  fireEvent.keyDown(screen.getByLabelText("name"), { key: "Enter" });
  expect(second.onSubmit).not.toHaveBeenCalled();
});

it("closes on Escape and is a labelled modal dialog", () => {
  const { onClose } = renderDialog(false);
  const dialog = screen.getByRole("dialog", { name: "Rename" });
  expect(dialog).toBeInTheDocument();
  fireEvent.keyDown(screen.getByLabelText("name"), { key: "Escape" });
  expect(onClose).toHaveBeenCalled();
});
