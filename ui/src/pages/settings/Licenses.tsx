import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import licenses from "./licenses.json";

type Entry = { source: string; name: string; version: string; license: string };

/** The licenses of the crates and npm packages the app ships (`cargo xtask licenses`). */
export function Licenses() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState("");
  const shown = useMemo(
    () => (licenses as Entry[]).filter((e) => e.name.includes(filter) || e.license.includes(filter)),
    [filter],
  );
  return (
    <section className="card">
      <h2>{t("settingsPage.licenses")}</h2>
      <p className="muted small">{t("settingsPage.licensesHint", { count: licenses.length })}</p>
      <input aria-label={t("settingsPage.filter")} placeholder={t("settingsPage.filter")} value={filter} onChange={(e) => setFilter(e.target.value)} />
      <details>
        <summary>{t("settingsPage.showLicenses")}</summary>
        <table className="licenses" dir="ltr">
          <tbody>
            {shown.map((e) => (
              <tr key={`${e.source}:${e.name}@${e.version}`}>
                <td>{e.name}</td>
                <td>{e.version}</td>
                <td>{e.license}</td>
                <td>{e.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
