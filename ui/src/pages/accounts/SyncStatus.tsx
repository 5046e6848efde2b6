import { useState } from "react";
import { useTranslation } from "react-i18next";

import { cancelSync } from "../../api/jobs";
import type { PanelView, SyncEvent } from "../../api/types";
import { errorLine } from "../../components/ErrorNotice";
import { JobProgress } from "../../components/JobProgress";
import { formatCount, formatSeconds } from "../../util/format";

/** One line per panel while syncing: fetched/total, done, cancelled, or the error. */
export function SyncStatus({ panels, progress }: { panels: PanelView[]; progress: Record<string, SyncEvent> }) {
  const { t, i18n } = useTranslation();
  const entries = panels.filter((p) => progress[p.id]);
  if (entries.length === 0) return null;
  return (
    <ul className="sync-status" aria-live="polite" data-testid="sync-status">
      {entries.map((p) => {
        const ev = progress[p.id];
        if (!ev) return null;
        let text: string;
        let tone = "";
        switch (ev.type) {
          case "started":
            text = t("sync.started");
            break;
          case "progress":
            text =
              ev.total === null
                ? t("sync.fetched", { fetched: formatCount(ev.fetched, i18n.language) })
                : t("sync.progress", { fetched: formatCount(ev.fetched, i18n.language), total: formatCount(ev.total, i18n.language) });
            break;
          case "finished":
            text = t("sync.finished", { count: ev.accounts, n: formatCount(ev.accounts, i18n.language), seconds: formatSeconds(ev.tookMs, i18n.language) });
            tone = "ok-text";
            break;
          case "cancelled":
            text = t("job.syncCancelled");
            tone = "muted";
            break;
          case "failed":
            text = errorLine(t, ev.error, i18n.language);
            tone = "error-text";
            break;
        }
        return (
          <li key={p.id} data-state={ev.type}>
            <span className="dot" style={{ background: p.color }} aria-hidden />
            <strong>{p.name}</strong> <span className={tone}>{text}</span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Accounts fetched so far by the panels of this sync (those whose event changed since
 * `before`, the events when it started), and the accounts they hold in all; `total` is `null`
 * while a panel has not told its size.
 */
export function syncTotals(
  progress: Record<string, SyncEvent>,
  before: Record<string, SyncEvent>,
): { done: number; total: number | null } {
  let done = 0;
  let total: number | null = 0;
  for (const [panelId, ev] of Object.entries(progress)) {
    if (before[panelId] === ev) continue;
    if (ev.type === "progress") {
      done += ev.fetched;
      total = total === null || ev.total === null ? null : total + ev.total;
    } else if (ev.type === "finished") {
      done += ev.accounts;
      if (total !== null) total += ev.accounts;
    } else if (ev.type === "started") {
      total = null;
    }
  }
  return { done, total };
}

/** A running sync as one job: all its panels' accounts, the pace, the time left, Cancel. */
export function SyncJob({ progress, before }: { progress: Record<string, SyncEvent>; before: Record<string, SyncEvent> }) {
  const { t } = useTranslation();
  const [cancelling, setCancelling] = useState(false);
  const { done, total } = syncTotals(progress, before);
  const cancel = () => {
    setCancelling(true);
    void cancelSync();
  };
  return (
    <JobProgress done={done} total={total} label={t("job.sync")} onCancel={cancel} cancelling={cancelling} testId="sync-progress" />
  );
}
