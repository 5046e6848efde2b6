import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { LANGUAGES, setLanguage, type LanguageCode } from "../i18n";
import { useTheme, type ThemeChoice } from "../theme/theme";
import { ActivityIndicator } from "./ActivityIndicator";
import { NAV, type Route } from "./useRoute";

type Props = { demo: boolean; route: Route; onNavigate: (r: Route) => void; children: ReactNode };

export function Shell({ demo, route, onNavigate, children }: Props) {
  const { t, i18n } = useTranslation();
  const [theme, setTheme] = useTheme();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <img src="/logo.svg" alt="" width={24} height={24} />
          <span>{t("app.title")}</span>
          {demo && (
            <span className="badge demo" title={t("app.demoHint")} data-testid="demo-badge">
              {t("app.demoBadge")}
            </span>
          )}
        </div>
        <ActivityIndicator onNavigate={onNavigate} />
        <div className="topbar-controls">
          <label>
            <span className="visually-hidden">{t("settings.language")}</span>
            <select
              aria-label={t("settings.language")}
              data-testid="settings-language"
              value={i18n.language}
              onChange={(e) => setLanguage(e.target.value as LanguageCode)}
            >
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <select aria-label={t("settings.theme")} data-testid="settings-theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
            {(["system", "light", "dark"] as const).map((c) => (
              <option key={c} value={c}>
                {t(`settings.${c}`)}
              </option>
            ))}
          </select>
        </div>
      </header>
      <div className="body">
        <nav className="sidebar" aria-label={t("nav.main")}>
          {NAV.map((r) => (
            <a
              key={r}
              href={`#/${r}`}
              className={r === route ? "active" : undefined}
              aria-current={r === route ? "page" : undefined}
              data-testid={`nav-${r}`}
              onClick={(e) => {
                e.preventDefault();
                onNavigate(r);
              }}
            >
              {t(`nav.${r}`)}
            </a>
          ))}
        </nav>
        <main className="content">
          {demo && <p className="notice info">{t("app.demoHint")}</p>}
          {children}
        </main>
      </div>
    </div>
  );
}
