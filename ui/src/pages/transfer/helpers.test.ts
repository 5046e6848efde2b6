import { describe, expect, it } from "vitest";

import { isoDate, parseInboundIds, svgDataUrl, withExtension } from "../../api/transfer";
import i18n from "../../i18n";
import { linkSave } from "./ExportDialog";
import type { NotCarried } from "../../api/types";
import { changeText, notCarriedSummary } from "./PlanPreviewView";

describe("export helpers", () => {
  it("swaps only the extensions exports write", () => {
    expect(withExtension("/home/a/paneldeck-accounts-2026-01-02.csv", "json")).toBe("/home/a/paneldeck-accounts-2026-01-02.json");
    expect(withExtension("C:\\Users\\a\\qr.zip", null)).toBe("C:\\Users\\a\\qr");
    expect(withExtension("/srv/qr-codes", "zip")).toBe("/srv/qr-codes.zip");
    expect(withExtension("/srv/v1.2.backup", "csv")).toBe("/srv/v1.2.backup.csv");
    expect(withExtension("/srv/", "csv")).toBe("/srv/");
  });

  it("reads inbound ids as a comma list", () => {
    expect(parseInboundIds(" 1, 2 ,2;5 ")).toEqual({ ids: [1, 2, 5] });
    expect(parseInboundIds("")).toEqual({ ids: [] });
    expect(parseInboundIds("1, -2")).toEqual({ bad: "-2" });
    expect(parseInboundIds("1.5")).toEqual({ bad: "1.5" });
  });

  it("names files by the local date", () => {
    expect(isoDate(new Date(2026, 0, 9, 23, 59))).toBe("2026-01-09");
  });

  it("describes each link output as Rust's LinkSave", () => {
    const c = { what: "links" as const, format: "csv" as const, image: "png" as const, scale: 12 };
    expect(linkSave({ ...c, output: "csv" })).toEqual({ type: "list", format: "csv" });
    expect(linkSave({ ...c, output: "qrFolder" })).toEqual({ type: "qrFolder", image: { type: "png", scale: 12 } });
    expect(linkSave({ ...c, output: "qrZip", image: "svg" })).toEqual({ type: "qrZip", image: { type: "svg" } });
    expect(linkSave({ ...c, output: "html" })).toEqual({ type: "htmlSheet" });
  });

  it("keeps SVG markup out of the page as a data URL", () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>');
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(url).not.toContain("<");
    expect(url).not.toContain('"');
  });
});

describe("preview helpers", () => {
  it("writes changes as field: before → after, bytes in binary units", () => {
    const t = i18n.getFixedT("en");
    expect(changeText({ field: "limit", before: null, after: { type: "bytes", bytes: 1073741824 } }, t, "en")).toBe(
      "Traffic limit: unlimited → 1 GiB",
    );
    const on = (v: boolean) => ({ type: "toggle" as const, on: v });
    expect(changeText({ field: "enabled", before: on(true), after: on(false) }, t, "en")).toBe("State: enabled → disabled");
  });

  it("sums what the target cannot carry, most common first", () => {
    const row = (notCarried: NotCarried[]) => ({
      line: 2, name: "a", action: "create", changes: [], reason: null, notCarried, keepsCredentials: false,
    });
    expect(notCarriedSummary([row(["group"]), row(["usedTraffic", "group"]), row([])])).toEqual([
      ["group", 2],
      ["usedTraffic", 1],
    ]);
  });
});
