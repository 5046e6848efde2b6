import { useTranslation } from "react-i18next";

import type { PanelView, SyncEvent } from "../../api/types";
import { errorLine } from "../../components/ErrorNotice";
import { formatCount } from "../../util/format";

/** One line per panel while syncing: fetched/total, done, or the error. */
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
                ? t("sync.fetched", { fetched: ev.fetched })
                : t("sync.progress", { fetched: ev.fetched, total: ev.total });
            break;
          case "finished":
            text = t("sync.finished", { count: ev.accounts, n: formatCount(ev.accounts, i18n.language), seconds: (ev.tookMs / 1000).toFixed(1) });
            tone = "ok-text";
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
