import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import type { ApiError } from "../api/types";
import i18n from "../i18n";
import { ErrorNotice, errorLine } from "./ErrorNotice";

const ours: ApiError = {
  code: "unsupported",
  message: "cannot reset the traffic of an account: the provider's API has no traffic reset",
  fields: [],
  fingerprint: null,
  changes: [],
};
const panels: ApiError = { ...ours, code: "panel_rejected", message: "Username only can be 3 to 32 characters" };

/** Latin words of three letters or more: English that reached a Russian or Persian reader. */
const english = /[A-Za-z]{3,}/;

describe("error notice", () => {
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("en");
  });

  it.each(["ru", "fa"])("keeps Paneldeck's English detail folded in %s, and the panel's own words shown", async (lng) => {
    await i18n.changeLanguage(lng);
    const { unmount } = render(<ErrorNotice error={ours} />);
    const notice = screen.getByRole("alert");
    const folded = notice.querySelector("details");
    expect(folded?.open).toBe(false);
    const shown = [...notice.childNodes].filter((n) => n !== folded).map((n) => n.textContent).join(" ");
    expect(shown).not.toMatch(english);
    expect(folded?.querySelector("summary")?.textContent).not.toMatch(english);
    expect(errorLine(i18n.t, ours, lng)).not.toMatch(english);
    unmount();

    render(<ErrorNotice error={panels} />);
    expect(screen.getByRole("alert").textContent).toContain(panels.message);
    expect(errorLine(i18n.t, panels, lng)).toContain(panels.message);
  });

  it("shows the detail inline in English", () => {
    render(<ErrorNotice error={ours} />);
    expect(screen.getByRole("alert").querySelector("details")).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain(ours.message);
  });
});
