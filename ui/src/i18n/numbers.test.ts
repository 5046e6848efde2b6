import { describe, expect, it } from "vitest";

import i18n from "./index";

describe("numbers in translations", () => {
  it("a plain {{n}} is written in the language's digits and grouping", () => {
    expect(i18n.t("importDialog.filterAll", { n: 12345, lng: "en" })).toBe("All (12,345)");
    expect(i18n.t("importDialog.filterAll", { n: 12345, lng: "fa" })).toBe("همه (۱۲٬۳۴۵)");
    expect(i18n.t("importDialog.filterAll", { n: 12345, lng: "ru" })).toBe("Все (12\u00a0345)");
  });

  it("plurals still choose their form from the number", () => {
    const one = i18n.t("importDialog.rowsCount", { count: 1, lng: "fa" });
    const many = i18n.t("importDialog.rowsCount", { count: 2000, lng: "fa" });
    expect(one).toContain("۱");
    expect(many).toContain("۲٬۰۰۰");
    expect(i18n.t("importDialog.rowsCount", { count: 21, lng: "ru" })).toBe("21 строка");
    expect(i18n.t("importDialog.rowsCount", { count: 2500, lng: "ru" })).toBe("2\u00a0500 строк");
  });

  it("a line number or an id keeps its digits together, and text stays text", () => {
    expect(i18n.t("importDialog.line", { line: 12345, lng: "fa" })).toContain("۱۲۳۴۵");
    expect(i18n.t("importDialog.line", { line: 12345, lng: "en" })).toContain("12345");
    expect(i18n.t("importDialog.filterAll", { n: "12345", lng: "en" })).toBe("All (12345)");
  });
});
