import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import type { AccountKey, HistoryRange, UsageOverview, UsagePoint } from "../bindings";
import { toApiError } from "../api/client";
import { useUsageOverview, useUsageSeries } from "../api/watch";
import { formatBytes, formatCount, formatDateTime } from "../util/format";
import { ErrorNotice } from "./ErrorNotice";

const RANGES: HistoryRange[] = ["day", "week", "month", "quarter"];
/** Line colours readable on both themes' surfaces. */
const PALETTE = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#06b6d4", "#a855f7", "#84cc16", "#ec4899"];
/** Up to this many buckets a line also draws its points: one bucket alone is no line. */
const SPARSE = 3;
/** Axis and grid take the theme's colours. */
const AXIS = { stroke: "var(--muted)", fontSize: 12 };

function useRtl(): boolean {
  const { i18n } = useTranslation();
  return i18n.dir(i18n.language) === "rtl";
}

function RangePicker({ range, onChange }: { range: HistoryRange; onChange: (r: HistoryRange) => void }) {
  const { t } = useTranslation();
  return (
    <div className="segmented" role="group" aria-label={t("watch.range")}>
      {RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={r === range} className={r === range ? "active" : undefined} onClick={() => onChange(r)} data-testid={`usage-range-${r}`}>
          {t(`watch.ranges.${r}`)}
        </button>
      ))}
    </div>
  );
}

/** One row per bucket, one column per panel (what a multi-line chart draws). */
function byTime(o: UsageOverview): Record<string, number>[] {
  const rows = new Map<number, Record<string, number>>();
  for (const s of o.panels) {
    for (const p of s.points) {
      const row = rows.get(p.atMs) ?? { atMs: p.atMs };
      row[s.panelId] = p.bytes;
      rows.set(p.atMs, row);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** Whole days left at the current rate (none when the rate gives no end). */
const daysLeft = (days: number | null) => Math.max(0, Math.floor(days ?? 0));

/** The dashboard's history: traffic over time per panel, top movers, heading for depletion. */
export function UsageOverviewSection({ onOpenAccount }: { onOpenAccount: (key: AccountKey) => void }) {
  const { t, i18n } = useTranslation();
  const rtl = useRtl();
  const [range, setRange] = useState<HistoryRange>("week");
  const overview = useUsageOverview(range);
  const rows = overview.data ? byTime(overview.data) : [];
  const lang = i18n.language;
  return (
    <section className="card usage-history" data-testid="usage-history">
      <header className="card-header">
        <h2>{t("watch.trafficOverTime")}</h2>
        <RangePicker range={range} onChange={setRange} />
      </header>
      {overview.error && <ErrorNotice error={toApiError(overview.error)} />}
      {overview.data && (
        <>
          {overview.data.panels.every((s) => s.points.length === 0) ? (
            <p className="muted">{t("watch.noHistory")}</p>
          ) : (
            <div className="chart" data-testid="usage-chart">
              <ResponsiveContainer width="100%" height={240}>
                <LineChart data={rows}>
                  <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                  <XAxis dataKey="atMs" type="number" scale="time" domain={["dataMin", "dataMax"]} reversed={rtl} tick={AXIS} tickFormatter={(ms: number) => formatDateTime(ms, lang)} />
                  <YAxis orientation={rtl ? "right" : "left"} tick={AXIS} tickFormatter={(b: number) => formatBytes(b, lang)} width={80} />
                  <Tooltip labelFormatter={(ms) => formatDateTime(Number(ms), lang)} formatter={(b) => formatBytes(Number(b), lang)} contentStyle={{ background: "var(--surface)", borderColor: "var(--border)", color: "var(--text)" }} />
                  <Legend />
                  {overview.data.panels.map((s, i) => (
                    <Line key={s.panelId} dataKey={s.panelId} name={s.panelName} stroke={PALETTE[i % PALETTE.length]} dot={rows.length <= SPARSE} connectNulls isAnimationActive={false} />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
          <div className="usage-lists">
            <div>
              <h3>{t("watch.topMovers")}</h3>
              {overview.data.topMovers.length === 0 && <p className="muted">{t("watch.none")}</p>}
              <ol data-testid="top-movers">
                {overview.data.topMovers.map((m) => (
                  <li key={`${m.key.panelId}:${m.key.nativeId}`}>
                    <button type="button" className="link" onClick={() => onOpenAccount(m.key)}>
                      <bdi>{m.name}</bdi>
                    </button>{" "}
                    <span className="muted">
                      <bdi>{m.panelName}</bdi> · {formatBytes(m.bytes, lang)}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
            <div>
              <h3>{t("watch.headingForDepletion")}</h3>
              {overview.data.headingForDepletion.length === 0 && <p className="muted">{t("watch.none")}</p>}
              <ol data-testid="heading-for-depletion">
                {overview.data.headingForDepletion.map((d) => (
                  <li key={`${d.key.panelId}:${d.key.nativeId}`}>
                    <button type="button" className="link" onClick={() => onOpenAccount(d.key)}>
                      <bdi>{d.name}</bdi>
                    </button>{" "}
                    <span className="muted">
                      {t("watch.daysLeft", { count: daysLeft(d.daysLeft), n: formatCount(daysLeft(d.daysLeft), lang) })} · {t("watch.perDay", { bytes: formatBytes(d.bytesPerDay, lang) })}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

/** An account's traffic over time, for the detail pane. */
export function AccountUsageChart({ accountKey }: { accountKey: AccountKey }) {
  const { t, i18n } = useTranslation();
  const rtl = useRtl();
  const [range, setRange] = useState<HistoryRange>("week");
  const series = useUsageSeries({ type: "account", key: accountKey }, range);
  const lang = i18n.language;
  const points: UsagePoint[] = series.data ?? [];
  return (
    <section className="usage-history" data-testid="account-usage">
      <header className="card-header">
        <h3>{t("watch.trafficOverTime")}</h3>
        <RangePicker range={range} onChange={setRange} />
      </header>
      {series.error && <ErrorNotice error={toApiError(series.error)} />}
      {series.data && points.length === 0 && <p className="muted">{t("watch.noHistory")}</p>}
      {points.length > 0 && (
        <ResponsiveContainer width="100%" height={160}>
          <BarChart data={points}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="atMs" reversed={rtl} tick={AXIS} tickFormatter={(ms: number) => formatDateTime(ms, lang)} />
            <YAxis orientation={rtl ? "right" : "left"} tick={AXIS} tickFormatter={(b: number) => formatBytes(b, lang)} width={72} />
            <Tooltip labelFormatter={(ms) => formatDateTime(Number(ms), lang)} formatter={(b) => formatBytes(Number(b), lang)} contentStyle={{ background: "var(--surface)", borderColor: "var(--border)", color: "var(--text)" }} />
            <Bar dataKey="bytes" name={t("watch.traffic")} fill="var(--accent)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </section>
  );
}
