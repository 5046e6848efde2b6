import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { useBulkHistory, useBulkRefetchOnProgress } from "../api/bulk";
import { events } from "../bindings";
import type { Route } from "./useRoute";

/** Panels whose sync has started and not yet finished or failed, from the backend's events. */
function useSyncingPanels(): number {
  const [syncing, setSyncing] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const unlisten = events.syncProgress.listen((e) => {
      const ev = e.payload;
      setSyncing((s) => {
        const next = new Set(s);
        if (ev.type === "finished" || ev.type === "failed" || ev.type === "cancelled") next.delete(ev.panelId);
        else next.add(ev.panelId);
        return next;
      });
    });
    return () => {
      void unlisten.then((f) => f());
    };
  }, []);
  return syncing.size;
}

/**
 * Work going on in the background, whatever page is shown: bulk runs (from the journal, so a
 * run whose dialog was hidden still shows) and panel syncs, each with its progress. A click
 * opens the page that shows it in full.
 */
export function ActivityIndicator({ onNavigate }: { onNavigate: (r: Route) => void }) {
  const { t, i18n } = useTranslation();
  useBulkRefetchOnProgress();
  const history = useBulkHistory();
  const syncing = useSyncingPanels();
  const running = (history.data ?? []).filter((op) => op.state === "running" && !op.interrupted);
  if (running.length === 0 && syncing === 0) return null;
  const total = running.reduce((n, op) => n + op.counts.total, 0);
  const finished = running.reduce((n, op) => n + op.counts.total - op.counts.left, 0);
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  return (
    <div className="activity" role="status" aria-live="polite" data-testid="activity">
      {running.length > 0 && (
        <button type="button" className="link" onClick={() => onNavigate("operations")} data-testid="activity-runs">
          <span className="spinner" aria-hidden />
          {t("activity.runs", { count: running.length, done: fmt(finished), total: fmt(total) })}
        </button>
      )}
      {syncing > 0 && (
        <button type="button" className="link" onClick={() => onNavigate("accounts")} data-testid="activity-sync">
          <span className="spinner" aria-hidden />
          {t("activity.syncing", { count: syncing })}
        </button>
      )}
    </div>
  );
}
