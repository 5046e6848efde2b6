import { useTranslation } from "react-i18next";

import type { ApiError } from "../api/types";

/** A failure in words: the translated headline for its code, then the detail from Rust. */
export function ErrorNotice({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  return (
    <div className="notice error" role="alert" data-code={error.code}>
      <strong>{t(`errors.${error.code}`)}</strong>
      {error.message && <span className="detail">{error.message}</span>}
    </div>
  );
}
