import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { HistoryRange, ReportBy, ReportRow } from "../../bindings";
import { defaultPath, useBrowseSavePath } from "../../api/bulk";
import { toApiError } from "../../api/client";
import { saveUsageReport, useUsageReport } from "../../api/watch";
import { fieldErrorText } from "../../i18n/backendText";
import { formatBytes, formatCount } from "../../util/format";
import { ErrorNotice } from "../ErrorNotice";
import { Field } from "../Field";
import { reportHtml } from "./reportHtml";

const BYS: ReportBy[] = ["panel", "group", "owner"];
const BY_KEY: Record<ReportBy, string> = { panel: "byPanel", group: "byGroup", owner: "byOwner" };
const DAYS: Record<HistoryRange, number> = { day: 1, week: 7, month: 30, quarter: 90 };
type FileFormat = "csv" | "html";

/** `path` with a `.csv` / `.html` ending switched to `format` (other endings are kept). */
const withFormat = (path: string, format: FileFormat) => (/\.(csv|html)$/i.test(path) ? path.replace(/\.(csv|html)$/i, `.${format}`) : path);

/** Usage per panel, group or owner over a period, with accounts created, expired and
 *  depleted; saved as CSV or as a printable page. */
export function UsageReport() {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState<ReportBy>("panel");
  const [range, setRange] = useState<HistoryRange>("week");
  const report = useUsageReport(by, DAYS[range]);
  const lang = i18n.language;
  return (
    <section className="card usage-report" data-testid="usage-report">
      <header className="card-header">
        <h2>{t("watch.report.title")}</h2>
        <div className="segmented" role="group" aria-label={t("watch.report.by")}>
          {BYS.map((b) => (
            <button key={b} type="button" aria-pressed={b === by} className={b === by ? "active" : undefined} onClick={() => setBy(b)} data-testid={`report-by-${b}`}>
              {t(`watch.report.${BY_KEY[b]}`)}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label={t("watch.range")}>
          {(Object.keys(DAYS) as HistoryRange[]).map((r) => (
            <button key={r} type="button" aria-pressed={r === range} className={r === range ? "active" : undefined} onClick={() => setRange(r)} data-testid={`report-range-${r}`}>
              {t(`watch.ranges.${r}`)}
            </button>
          ))}
        </div>
      </header>
      {report.error && <ErrorNotice error={toApiError(report.error)} />}
      {report.data && report.data.length === 0 && <p className="muted">{t("watch.report.empty")}</p>}
      {report.data && report.data.length > 0 && (
        <table className="report-table" data-testid="report-table">
          <thead>
            <tr>
              <th scope="col">{t(`watch.report.${BY_KEY[by]}`)}</th>
              <th scope="col">{t("watch.report.traffic")}</th>
              <th scope="col">{t("watch.report.accounts")}</th>
              <th scope="col">{t("watch.report.created")}</th>
              <th scope="col">{t("watch.report.expired")}</th>
              <th scope="col">{t("watch.report.depleted")}</th>
            </tr>
          </thead>
          <tbody>
            {report.data.map((r) => (
              <tr key={r.label ?? ""} data-testid="report-row">
                <th scope="row">
                  <bdi>{r.label ?? t("watch.report.noneLabel")}</bdi>
                </th>
                <td>{formatBytes(r.usedBytes, lang)}</td>
                {[r.accounts, r.created, r.expired, r.depleted].map((n, i) => (
                  <td key={i}>{formatCount(n, lang)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.data && <SaveReport by={by} range={range} rows={report.data} loading={report.isPlaceholderData} />}
    </section>
  );
}

/** `loading`: the rows shown are the previous grouping's or period's, not yet `by` and `range`. */
function SaveReport({ by, range, rows, loading }: { by: ReportBy; range: HistoryRange; rows: ReportRow[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const name = "paneldeck-report.csv";
  const suggested = useQuery({ queryKey: ["defaultPath", name], queryFn: () => defaultPath(name), staleTime: Infinity });
  const [format, setFormat] = useState<FileFormat>("csv");
  const [typed, setTyped] = useState<string | null>(null);
  const path = typed ?? withFormat(suggested.data ?? "", format);
  const save = useMutation({
    mutationFn: () => {
      const file =
        format === "csv"
          ? ({ type: "csv", by, days: DAYS[range] } as const)
          : ({ type: "html", page: reportHtml({ rows, by, period: t(`watch.ranges.${range}`), lang: i18n.language, dir: i18n.dir(i18n.language), madeAtMs: Date.now() }, t) } as const);
      return saveUsageReport(file, path);
    },
  });
  const browse = useBrowseSavePath(path, setTyped);
  const error = save.error ?? browse.error;
  const apiError = error ? toApiError(error) : null;
  const pathError = fieldErrorText(t, apiError, "path");
  return (
    <form
      className="ops-export"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset className="segmented">
        <legend>{t("watch.report.format")}</legend>
        {(["csv", "html"] as const).map((f) => (
          <label key={f}>
            <input
              type="radio"
              name="report-format"
              checked={format === f}
              data-testid={`report-format-${f}`}
              onChange={() => {
                setFormat(f);
                if (typed !== null) setTyped(withFormat(typed, f));
              }}
            />
            {t(`watch.report.formats.${f}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t("watch.report.path")} error={pathError}>
        <span className="ops-path">
          <input dir="ltr" className="mono" data-testid="report-path" value={path} onChange={(e) => setTyped(e.target.value)} />
          <button type="button" onClick={() => browse.mutate()} disabled={browse.isPending}>
            {t("watch.report.browse")}
          </button>
        </span>
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={loading || save.isPending || path.trim() === ""} data-testid="report-save">
          {save.isPending ? t("watch.report.saving") : t("watch.report.save")}
        </button>
      </div>
      {save.data && (
        <p className="notice ok" role="status" data-testid="report-saved">
          {t("watch.report.saved", { path: `\u2066${save.data}\u2069` })}
        </p>
      )}
      {apiError && !pathError && <ErrorNotice error={apiError} />}
    </form>
  );
}
