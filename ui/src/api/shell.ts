import type { TFunction } from "i18next";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { commands } from "../bindings";
import type { ShellTexts } from "../bindings";
import { formatCount } from "../util/format";

/** `{name}` for each name: the placeholders the app fills with an event's numbers and names. */
const placeholders = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `{${n}}`]));

/** The tray's and OS notifications' words in the UI's language, with their placeholders. */
export function shellTexts(t: TFunction, lang: string): ShellTexts {
  const n = (key: string, ...names: string[]) => t(`watch.shell.notify.${key}`, placeholders(...names));
  return {
    open: t("watch.shell.open"),
    syncNow: t("watch.shell.syncNow"),
    pauseAlerts: t("watch.shell.pauseAlerts"),
    resumeAlerts: t("watch.shell.resumeAlerts"),
    quit: t("watch.shell.quit"),
    tooltip: t("watch.shell.tooltip", placeholders("down", "attention")),
    notifications: {
      accountsExpiring: n("accountsExpiring", "accounts", "days"),
      accountsDepleted: n("accountsDepleted", "accounts"),
      usageAbove: n("usageAbove", "accounts", "percent"),
      panelUnreachable: n("panelUnreachable", "panel", "minutes"),
      certificateChanged: n("certificateChanged", "panel"),
      bulkFinished: n("bulkFinished", "title", "done", "failed"),
    },
    digits: Array.from({ length: 10 }, (_, d) => formatCount(d, lang)).join(""),
  };
}

/** Sends the shell's words to the app whenever the language changes (the tray is reworded at
 *  once; notifications use them from then on). */
export function useShellTexts() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    commands.shellTextsSet(shellTexts(t, i18n.language)).catch(() => undefined);
  }, [t, i18n.language]);
}
