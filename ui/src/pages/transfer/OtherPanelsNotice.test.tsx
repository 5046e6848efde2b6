import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { PlanPreview, PreviewRow } from "../../api/types";
import { OtherPanelsNotice, otherPanels } from "./OtherPanelsNotice";

const row = (line: number, panel: string | null): PreviewRow =>
  ({
    line,
    action: panel ? "conflict" : "create",
    name: `u${line}`,
    changes: [],
    reason: panel ? { code: "otherPanel", name: `u${line}`, panel } : null,
    keepsCredentials: false,
    notCarried: [],
  }) as PreviewRow;

const preview = (rows: PreviewRow[]) => ({ rows }) as unknown as PlanPreview;

afterEach(cleanup);

describe("rows of other panels", () => {
  it("are counted per panel in file order", () => {
    expect(otherPanels(preview([row(2, "Frankfurt"), row(3, null), row(4, "Tokyo"), row(5, "Frankfurt")]))).toEqual([
      ["Frankfurt", 2],
      ["Tokyo", 1],
    ]);
  });

  it("are announced with a way to import them here, and nothing is shown without them", () => {
    const onInclude = vi.fn();
    const { rerender } = render(<OtherPanelsNotice preview={preview([row(2, "Frankfurt"), row(3, "Frankfurt")])} onInclude={onInclude} />);
    expect(screen.getByTestId("other-panels").textContent).toContain("Frankfurt: 2 rows");
    fireEvent.click(screen.getByTestId("other-panel-include"));
    expect(onInclude).toHaveBeenCalledWith("Frankfurt");
    rerender(<OtherPanelsNotice preview={preview([row(2, null)])} onInclude={onInclude} />);
    expect(screen.queryByTestId("other-panels")).toBeNull();
  });
});
