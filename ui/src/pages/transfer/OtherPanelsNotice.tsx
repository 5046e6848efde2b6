import { useTranslation } from "react-i18next";

import type { PlanPreview } from "../../api/types";

/** The file's panels other than the target, with how many rows each has, in file order. */
export function otherPanels(preview: PlanPreview): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of preview.rows) {
    if (row.reason?.code === "otherPanel") counts.set(row.reason.panel, (counts.get(row.reason.panel) ?? 0) + 1);
  }
  return [...counts];
}

/**
 * Rows of other panels (the file's panel column) are left out of an import; this says so,
 * per panel, and offers to import them into the target all the same.
 */
export function OtherPanelsNotice({ preview, onInclude }: { preview: PlanPreview; onInclude: (panel: string) => void }) {
  const { t, i18n } = useTranslation();
  const panels = otherPanels(preview);
  if (panels.length === 0) return null;
  return (
    <div className="notice info" data-testid="other-panels">
      <p>{t("importDialog.otherPanels.intro")}</p>
      <ul className="plain">
        {panels.map(([panel, rows]) => (
          <li key={panel}>
            <span dir="auto">{t("importDialog.otherPanels.panel", { panel, count: rows, n: rows.toLocaleString(i18n.language) })}</span>{" "}
            <button type="button" className="link" onClick={() => onInclude(panel)} data-testid="other-panel-include">
              {t("importDialog.otherPanels.include")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
