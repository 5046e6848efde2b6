import { useTranslation } from "react-i18next";

import type { ApiError } from "../api/types";

/** A failure in words: the translated headline for its code, then the detail from Rust. */
export function ErrorNotice({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  // Field problems are shown under their fields; the English summary would only repeat them.
  const showDetail = error.message !== "" && !(error.code === "invalid_input" && error.fields.length > 0);
  return (
    <div className="notice error" role="alert" data-code={error.code}>
      <strong>{t(`errors.${error.code}`)}</strong>
      {showDetail && <span className="detail">{error.message}</span>}
    </div>
  );
}
