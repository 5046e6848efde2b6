import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { events } from "../bindings";
import type { Alert_Serialize } from "../bindings";
import { useOpenAccounts } from "../pages/accounts/AccountsView";
import { formatDateTime } from "../util/format";

/** How many recent alerts the list keeps. */
const KEPT = 20;

/** An alert in the UI's language, from its code and parameters. */
export function useAlertText(): (a: Alert_Serialize) => string {
  const { t } = useTranslation();
  return (a) => {
    const k = a.kind;
    switch (k.code) {
      case "accountsExpiring":
        return t("watch.event.accountsExpiring", { count: a.count, days: k.withinDays });
      case "accountsDepleted":
        return t("watch.event.accountsDepleted", { count: a.count });
      case "usageAbove":
        return t("watch.event.usageAbove", { count: a.count, percent: k.percent });
      case "panelUnreachable":
        return t("watch.event.panelUnreachable", { panel: k.panelName, minutes: k.minutes });
      case "certificateChanged":
        return t("watch.event.certificateChanged", { panel: k.panelName });
      case "bulkFinished":
        return t("watch.event.bulkFinished", { title: k.title, done: k.done, failed: k.failed });
    }
  };
}

/** Alerts raised while the window is open, newest first; one with a filter opens the table. */
export function RaisedAlerts() {
  const { i18n } = useTranslation();
  const text = useAlertText();
  const open = useOpenAccounts();
  const [alerts, setAlerts] = useState<Alert_Serialize[]>([]);
  useEffect(() => {
    const unlisten = events.alertsRaised.listen((e) => setAlerts((old) => [...e.payload, ...old].slice(0, KEPT)));
    return () => void unlisten.then((f) => f());
  }, []);
  if (alerts.length === 0) return null;
  return (
    <ul className="raised-alerts" data-testid="raised-alerts">
      {alerts.map((a, i) => (
        <li key={`${a.atMs}-${i}`}>
          <span className="muted">{formatDateTime(a.atMs, i18n.language)}</span>{" "}
          {a.filter ? (
            <button type="button" className="link" onClick={() => a.filter && open({ panelIds: a.filter.panelIds, expiringWithinDays: a.filter.expiringWithinDays, depleted: a.filter.depleted })}>
              <bdi>{text(a)}</bdi>
            </button>
          ) : (
            <bdi>{text(a)}</bdi>
          )}
        </li>
      ))}
    </ul>
  );
}
