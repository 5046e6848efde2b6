import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AlertSettings_Serialize, RuleSettings_Serialize } from "../bindings";
import { toApiError } from "../api/client";
import { useAlertSettings, useSaveAlertSettings, useSetTelegramToken, useTelegramTokenPresent } from "../api/watch";
import { ErrorNotice } from "../components/ErrorNotice";
import { RaisedAlerts } from "../components/RaisedAlerts";

type Toggle = "expiring" | "depleted" | "usageAbove" | "unreachable" | "certificateChanged" | "bulkDone";
const TOGGLES: Toggle[] = ["expiring", "depleted", "usageAbove", "unreachable", "certificateChanged", "bulkDone"];
/** The threshold each rule has, if any. */
const THRESHOLD: Partial<Record<Toggle, keyof RuleSettings_Serialize>> = {
  expiring: "expiringDays",
  usageAbove: "usagePercent",
  unreachable: "unreachableMinutes",
};

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h || 0) * 60 + (m || 0);
};
const toHhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** Alert rules, channels and quiet hours. */
export function AlertsPage() {
  const { t } = useTranslation();
  const settings = useAlertSettings();
  return (
    <section className="page" data-testid="alerts-page">
      <header className="page-header">
        <h1>{t("watch.alerts.title")}</h1>
      </header>
      <RaisedAlerts />
      {settings.isPending && <p className="muted">{t("app.loading")}</p>}
      {settings.error && <ErrorNotice error={toApiError(settings.error)} />}
      {settings.data && <AlertsForm initial={settings.data} />}
    </section>
  );
}

function AlertsForm({ initial }: { initial: AlertSettings_Serialize }) {
  const { t } = useTranslation();
  const [s, setS] = useState(initial);
  const [token, setToken] = useState("");
  const save = useSaveAlertSettings();
  const setTelegram = useSetTelegramToken();
  const hasToken = useTelegramTokenPresent();
  const rules = (patch: Partial<RuleSettings_Serialize>) => setS({ ...s, rules: { ...s.rules, ...patch } });
  const channels = (patch: Partial<AlertSettings_Serialize["channels"]>) => setS({ ...s, channels: { ...s.channels, ...patch } });
  const quiet = s.quietHours;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(s);
        if (token) setTelegram.mutate(token, { onSuccess: () => setToken("") });
      }}
    >
      <fieldset>
        <legend>{t("watch.alerts.rules")}</legend>
        {TOGGLES.map((rule) => {
          const threshold = THRESHOLD[rule];
          return (
            <div key={rule} className="row">
              <label>
                <input type="checkbox" checked={s.rules[rule]} onChange={(e) => rules({ [rule]: e.target.checked })} data-testid={`alert-rule-${rule}`} />{" "}
                {t(`watch.alerts.rule.${rule}`)}
              </label>
              {threshold && (
                <label>
                  <span className="visually-hidden">{t(`watch.alerts.threshold.${rule}`)}</span>
                  <input type="number" min={1} max={rule === "usageAbove" ? 100 : undefined} value={s.rules[threshold] as number} onChange={(e) => rules({ [threshold]: Number(e.target.value) })} aria-label={t(`watch.alerts.threshold.${rule}`)} />{" "}
                  {t(`watch.alerts.unit.${rule}`)}
                </label>
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>{t("watch.alerts.quietHours")}</legend>
        <label>
          <input
            type="checkbox"
            checked={quiet !== null}
            onChange={(e) =>
              setS({ ...s, quietHours: e.target.checked ? { fromMinute: 22 * 60, toMinute: 8 * 60, utcOffsetMinutes: -new Date().getTimezoneOffset() } : null })
            }
            data-testid="alert-quiet"
          />{" "}
          {t("watch.alerts.quietEnabled")}
        </label>
        {quiet && (
          <div className="row" dir="ltr">
            <input type="time" aria-label={t("watch.alerts.quietFrom")} value={toHhmm(quiet.fromMinute)} onChange={(e) => setS({ ...s, quietHours: { ...quiet, fromMinute: toMinutes(e.target.value) } })} />
            <span>–</span>
            <input type="time" aria-label={t("watch.alerts.quietTo")} value={toHhmm(quiet.toMinute)} onChange={(e) => setS({ ...s, quietHours: { ...quiet, toMinute: toMinutes(e.target.value) } })} />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t("watch.alerts.channels")}</legend>
        <label>
          <input type="checkbox" checked={s.channels.os} onChange={(e) => channels({ os: e.target.checked })} /> {t("watch.alerts.os")}
        </label>
        <label>
          {t("watch.alerts.telegramChat")}
          <input dir="ltr" value={s.channels.telegramChatId ?? ""} onChange={(e) => channels({ telegramChatId: e.target.value || null })} />
        </label>
        <label>
          {t("watch.alerts.telegramToken")}
          <input dir="ltr" type="password" autoComplete="off" value={token} placeholder={hasToken.data ? t("watch.alerts.tokenKept") : ""} onChange={(e) => setToken(e.target.value)} />
        </label>
        <label>
          {t("watch.alerts.webhook")}
          <input dir="ltr" type="url" value={s.channels.webhookUrl ?? ""} onChange={(e) => channels({ webhookUrl: e.target.value || null })} />
        </label>
      </fieldset>
      {save.error && <ErrorNotice error={toApiError(save.error)} />}
      {setTelegram.error && <ErrorNotice error={toApiError(setTelegram.error)} />}
      {save.isSuccess && <p className="notice ok">{t("watch.alerts.saved")}</p>}
      <button type="submit" className="primary" disabled={save.isPending} data-testid="alerts-save">
        {t("watch.alerts.save")}
      </button>
    </form>
  );
}
