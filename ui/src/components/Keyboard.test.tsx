import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, expect, it, vi } from "vitest";

import { AccountsViewProvider } from "../pages/accounts/AccountsView";
import { CommandsProvider, useRegisterCommands } from "./commands";
import { Keyboard } from "./Keyboard";

vi.mock("../bindings", () => ({
  commands: { panelsList: async () => ({ status: "ok", data: [] }) },
  events: {},
}));

beforeAll(() => {
  // cmdk scrolls the picked item into view and measures its list; jsdom does neither.
  Element.prototype.scrollIntoView = () => {};
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});
afterEach(cleanup);

function PageCommands({ run }: { run: () => void }) {
  useRegisterCommands("test", [{ id: "extend-30", label: "Extend 3 selected by 30 days", group: "actions", run }]);
  return <input aria-label="elsewhere" />;
}

function renderKeyboard(run = vi.fn(), onNavigate = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AccountsViewProvider>
        <CommandsProvider>
          <Keyboard onNavigate={onNavigate} />
          <PageCommands run={run} />
        </CommandsProvider>
      </AccountsViewProvider>
    </QueryClientProvider>,
  );
  return { run, onNavigate };
}

it("opens the palette on Ctrl+K, filters as you type, and runs the picked command with Enter", async () => {
  const { run } = renderKeyboard();
  fireEvent.keyDown(window, { key: "k", ctrlKey: true });
  const input = await screen.findByTestId("palette-input");
  expect(screen.getByTestId("command-page-dashboard")).toBeInTheDocument();
  fireEvent.change(input, { target: { value: "extend" } });
  await waitFor(() => expect(screen.queryByTestId("command-page-dashboard")).toBeNull());
  fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(run).toHaveBeenCalledTimes(1));
  expect(screen.queryByTestId("command-palette")).toBeNull();
});

it("goes to a page with Alt+digit, and `/` opens the search but not while typing", async () => {
  const { onNavigate } = renderKeyboard();
  fireEvent.keyDown(window, { key: "3", altKey: true });
  expect(onNavigate).toHaveBeenCalledWith("operations");
  onNavigate.mockClear();
  fireEvent.keyDown(screen.getByLabelText("elsewhere"), { key: "/" });
  expect(onNavigate).not.toHaveBeenCalled();
  fireEvent.keyDown(document.body, { key: "/" });
  expect(onNavigate).toHaveBeenCalledWith("accounts");
  await act(async () => fireEvent.keyDown(document.body, { key: "?" }));
  expect(await screen.findByTestId("shortcuts-sheet")).toBeInTheDocument();
});
