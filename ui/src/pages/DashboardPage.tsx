import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import { useDashboard } from "../api/accounts";
import { toApiError } from "../api/client";
import type { AccountQuery, AccountRow, Dashboard, PanelHealth } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { StatusBadge } from "../components/StatusBadge";
import { UsageReport } from "../components/report/UsageReport";
import { UsageOverviewSection } from "../components/UsageCharts";
import { formatBytes, formatRelative } from "../util/format";
import { useOpenAccounts } from "./accounts/AccountsView";

/** Health of every panel, totals by status, where the traffic goes, what needs attention. */
export function DashboardPage() {
  const { t } = useTranslation();
  const dash = useDashboard();
  return (
    <section className="page" data-testid="dashboard">
      <header className="page-header">
        <h1>{t("dashboard.title")}</h1>
      </header>
      {dash.isPending && <p className="muted">{t("app.loading")}</p>}
      {dash.error && <ErrorNotice error={toApiError(dash.error)} />}
      {dash.data && <DashboardBody d={dash.data} />}
    </section>
  );
}

function DashboardBody({ d }: { d: Dashboard }) {
  const { t, i18n } = useTranslation();
  const open = useOpenAccounts();
  const maxTop = Math.max(1, ...d.topUsage.map((r) => r.usedBytes));
  const maxBucket = Math.max(1, ...d.usageBuckets.map((b) => b.count));
  return (
    <div className="dashboard">
      <div className="cards">
        <button type="button" className="card stat" onClick={() => open({})} data-testid="dash-total">
          <span className="muted">{t("dashboard.accounts")}</span>
          <strong>{d.totalAccounts.toLocaleString(i18n.language)}</strong>
        </button>
        <div className="card stat">
          <span className="muted">{t("dashboard.traffic")}</span>
          <strong>{formatBytes(d.totalUsedBytes, i18n.language)}</strong>
        </div>
        {d.byStatus.map((s) => (
          <button
            type="button"
            key={s.status}
            className="card stat"
            onClick={() => open({ statuses: [s.status] })}
            data-testid={`dash-status-${s.status}`}
          >
            <StatusBadge status={s.status} />
            <strong>{s.count.toLocaleString(i18n.language)}</strong>
          </button>
        ))}
      </div>

      <h2>{t("dashboard.panels")}</h2>
      <div className="cards">
        {d.panels.map((p) => (
          <HealthCard key={p.panelId} p={p} now={d.nowMs} />
        ))}
      </div>

      <div className="two-col">
        <div className="card">
          <h2>{t("dashboard.topUsage")}</h2>
          <ul className="bars">
            {d.topUsage.map((r) => (
              <li key={`${r.key.panelId}/${r.key.nativeId}`}>
                <span className="ellipsis" dir="auto">{r.name}</span>
                <span className="bar">
                  <span style={{ inlineSize: `${(r.usedBytes / maxTop) * 100}%`, background: r.panelColor }} />
                </span>
                <span className="num">{formatBytes(r.usedBytes, i18n.language)}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="card">
          <h2>{t("dashboard.distribution")}</h2>
          <ul className="bars">
            {d.usageBuckets.map((b) => (
              <li key={b.fromBytes}>
                <span dir="ltr">{bucketLabel(b, t)}</span>
                <span className="bar">
                  <span style={{ inlineSize: `${(b.count / maxBucket) * 100}%` }} />
                </span>
                <span className="num">{b.count.toLocaleString(i18n.language)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>

      <div className="two-col">
        <AccountList
          title={t("dashboard.expiringSoon", { count: d.expiringSoonCount })}
          rows={d.expiringSoon}
          total={d.expiringSoonCount}
          now={d.nowMs}
          query={{ expiringWithinDays: d.expiringDays, sort: "expiry" }}
          testId="dash-expiring"
        />
        <AccountList
          title={t("dashboard.depleted", { count: d.depletedCount })}
          rows={d.depleted}
          total={d.depletedCount}
          now={d.nowMs}
          query={{ statuses: ["depleted"], sort: "used", descending: true }}
          testId="dash-depleted"
        />
      </div>
      <UsageOverviewSection onOpenAccount={(key) => open({ panelIds: [key.panelId], search: key.nativeId })} />
      <UsageReport />
    </div>
  );
}

function HealthCard({ p, now }: { p: PanelHealth; now: number }) {
  const { t, i18n } = useTranslation();
  const state = p.lastError ? "down" : p.reachable ? "up" : "unknown";
  return (
    <div className={`card health ${state}`} data-testid="panel-health">
      <strong>{p.panelName}</strong>
      <span className={state === "down" ? "error-text" : state === "up" ? "ok-text" : "muted"}>
        {t(`dashboard.health.${state}`)}
      </span>
      {p.version && <span className="muted small">{t("panels.version", { version: p.version })}</span>}
      {p.apiGeneration && <span className="muted small">{p.apiGeneration}</span>}
      <span className="muted small">
        {p.lastSyncMs === null ? t("dashboard.neverSynced") : t("dashboard.synced", { when: formatRelative(p.lastSyncMs, now, i18n.language) })}
        {t("common.sep")}
        {t("dashboard.accountsCount", { count: p.accountCount })}
      </span>
      {p.lastError && <span className="error-text small">{p.lastError.message}</span>}
    </div>
  );
}

type ListProps = {
  title: string;
  rows: AccountRow[];
  /** How many accounts the list stands for; it shows the first few. */
  total: number;
  now: number;
  /** The table filter that shows all of them. */
  query: Partial<AccountQuery>;
  testId: string;
};

function AccountList({ title, rows, total, now, query, testId }: ListProps) {
  const { t, i18n } = useTranslation();
  const open = useOpenAccounts();
  return (
    <div className="card" data-testid={testId}>
      <h2>
        <button type="button" className="link" onClick={() => open(query)}>
          {title}
        </button>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{t("dashboard.none")}</p>
      ) : (
        <ul className="plain">
          {rows.map((r) => (
            <li key={`${r.key.panelId}/${r.key.nativeId}`}>
              <span className="dot" style={{ background: r.panelColor }} aria-hidden />
              <span dir="auto">{r.name}</span>
              <span className="muted small">
                {r.expiresAtMs !== null ? formatRelative(r.expiresAtMs, now, i18n.language) : formatBytes(r.usedBytes, i18n.language)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {total > rows.length && (
        <button type="button" className="link" onClick={() => open(query)} data-testid={`${testId}-more`}>
          {t("dashboard.andMore", { count: total - rows.length, formatted: (total - rows.length).toLocaleString(i18n.language) })}
        </button>
      )}
    </div>
  );
}

const GIB = 1024 ** 3;

/** A usage bucket's range in the UI's digits: "0", "< 1 GiB", "1–10 GiB", "≥ 200 GiB". */
function bucketLabel(b: Dashboard["usageBuckets"][number], t: TFunction): string {
  const gib = (bytes: number) => bytes / GIB;
  if (b.toBytes === null) return t("dashboard.bucket.atLeast", { from: gib(b.fromBytes) });
  if (b.toBytes <= 1) return t("dashboard.bucket.none", { zero: 0 });
  if (b.fromBytes <= 1) return t("dashboard.bucket.below", { to: gib(b.toBytes) });
  return t("dashboard.bucket.range", { from: gib(b.fromBytes), to: gib(b.toBytes) });
}
