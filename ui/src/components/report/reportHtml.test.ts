import { describe, expect, it } from "vitest";

import type { ReportRow } from "../../bindings";
import i18n from "../../i18n";
import { escapeHtml, reportHtml } from "./reportHtml";

const row = (label: string | null, usedBytes: number): ReportRow => ({ label, usedBytes, accounts: 1200, created: 3, expired: 1, depleted: 2, points: [] });

describe("the printable report", () => {
  it("escapes every panel-provided name", () => {
    const hostile = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
    const page = reportHtml({ rows: [row(hostile, 1536)], by: "owner", period: "7 days", lang: "en", dir: "ltr", madeAtMs: 0 }, i18n.getFixedT("en"));
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).toContain(escapeHtml(hostile));
    expect(escapeHtml(hostile)).toBe("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#60;img src=x onerror=&#39;y&#39;&#62;&#38;amp;");
  });

  it("is worded and numbered in the UI's language", () => {
    const fa = i18n.getFixedT("fa");
    const page = reportHtml({ rows: [row(null, 1536)], by: "panel", period: fa("watch.ranges.week"), lang: "fa", dir: "rtl", madeAtMs: 0 }, fa);
    expect(page).toContain('<html lang="fa" dir="rtl">');
    expect(page).toContain(fa("watch.report.pageTitle"));
    expect(page).toContain(fa("watch.report.noneLabel"));
    // Persian digits and grouping: 1,200 accounts; 1.5 KiB.
    expect(page).toContain("۱٬۲۰۰");
    expect(page).toContain("۱٫۵ KiB");
    expect(page).not.toMatch(/\bTraffic\b|\bAccounts\b/);
  });
});
