import { useTranslation } from "react-i18next";

import { Dialog } from "./Dialog";

/** Every keyboard shortcut, as [keys, translation key of what it does]. */
export const SHORTCUTS: [string[], string][] = [
  [["Ctrl", "K"], "win.keys.palette"],
  [["Ctrl", "F"], "win.keys.search"],
  [["/"], "win.keys.search"],
  [["?"], "win.keys.sheet"],
  [["Alt", "1…4"], "win.keys.pages"],
  [["↑", "↓"], "win.keys.rows"],
  [["Shift", "↑ ↓"], "win.keys.range"],
  [["PgUp", "PgDn"], "win.keys.page"],
  [["Enter"], "win.keys.open"],
  [["Space"], "win.keys.select"],
  [["Shift", "F10"], "win.keys.menu"],
  [["Esc"], "win.keys.close"],
];

/** The shortcuts sheet (`?`). */
export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={t("win.shortcuts")}
      onClose={onClose}
      footer={
        <button type="button" className="primary" onClick={onClose}>
          {t("common.close")}
        </button>
      }
    >
      <dl className="shortcuts" data-testid="shortcuts-sheet">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys.join("+") + what}>
            <dt dir="ltr">
              {keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{t(what)}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
