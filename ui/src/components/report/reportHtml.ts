import type { TFunction } from "i18next";

import type { ReportBy, ReportRow } from "../../bindings";
import { formatBytes, formatCount, formatDateTime } from "../../util/format";

/** Text as HTML: every character that could open markup or end an attribute is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type ReportPage = {
  rows: ReportRow[];
  by: ReportBy;
  /** The period's words, e.g. "7 days". */
  period: string;
  lang: string;
  dir: "ltr" | "rtl";
  madeAtMs: number;
};

const BY_KEY: Record<ReportBy, string> = { panel: "byPanel", group: "byGroup", owner: "byOwner" };

/** A whole printable HTML page of the report: words from i18n, numbers in the UI's style,
 *  names from panels escaped. It has no script and loads nothing. */
export function reportHtml(page: ReportPage, t: TFunction): string {
  const e = escapeHtml;
  const { lang } = page;
  const title = t("watch.report.pageTitle");
  const head = [t(`watch.report.${BY_KEY[page.by]}`), t("watch.report.traffic"), t("watch.report.accounts"), t("watch.report.created"), t("watch.report.expired"), t("watch.report.depleted")];
  const rows = page.rows.map((r) => {
    const cells = [r.label ?? t("watch.report.noneLabel"), formatBytes(r.usedBytes, lang), ...[r.accounts, r.created, r.expired, r.depleted].map((n) => formatCount(n, lang))];
    return `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td>${e(c)}</td>`)).join("")}</tr>`;
  });
  return `<!doctype html>
<html lang="${e(lang)}" dir="${page.dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .35rem .6rem; text-align: start; }
td { font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid #555; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>${e(title)}</h1>
<p>${e(t("watch.report.period", { period: page.period }))} · ${e(t("watch.report.made", { at: formatDateTime(page.madeAtMs, lang) }))}</p>
<table>
<thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</body>
</html>
`;
}
