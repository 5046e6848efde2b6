import { useTranslation } from "react-i18next";

import type { PanelKind } from "../api/types";

export function KindBadge({ kind }: { kind: PanelKind }) {
  const { t } = useTranslation();
  return <span className={`badge kind-${kind}`}>{t(`kinds.${kind}`)}</span>;
}
