import { useTranslation } from "react-i18next";

import type { AccountStatus } from "../api/types";

export function StatusBadge({ status }: { status: AccountStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}
