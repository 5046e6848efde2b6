import { useTranslation } from "react-i18next";

import { formatBytes, usageShare } from "../util/format";

/** Used traffic as a bar against the limit, with the numbers beside it. */
export function UsageBar({ used, limit }: { used: number; limit: number | null }) {
  const { t, i18n } = useTranslation();
  return <UsageBarView used={used} limit={limit} locale={i18n.language} unlimited={t("accounts.unlimited")} />;
}

/** The same bar without hooks, for the table's rows (many mount on every scroll frame). */
export function UsageBarView({ used, limit, locale, unlimited }: { used: number; limit: number | null; locale: string; unlimited: string }) {
  const share = usageShare(used, limit);
  const tone = share === null ? "" : share >= 1 ? "full" : share >= 0.8 ? "high" : "";
  return (
    <div className="usage">
      <div className={`usage-track ${tone}`} aria-hidden>
        <div className="usage-fill" style={{ inlineSize: `${Math.round((share ?? 0) * 100)}%` }} />
      </div>
      <span className="usage-text" dir="ltr">
        {formatBytes(used, locale)} / {limit === null ? unlimited : formatBytes(limit, locale)}
      </span>
    </div>
  );
}
