import { useTranslation } from "react-i18next";

import type { ApiError, ErrorCode } from "../api/types";

/** Codes whose detail is the panel's own words (its validation or error text), worth showing
 *  as they are in any language. */
const PANEL_WORDS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["panel_rejected", "panel_failed"]);

/** Whether the English detail of `error` is shown as it is to a reader of `language`. */
export function detailInline(error: Pick<ApiError, "code">, language: string): boolean {
  return language.startsWith("en") || PANEL_WORDS.has(error.code);
}

/** One line for a toast or a status list: the translated headline, and the detail where it
 *  is shown inline (the full notice keeps the rest under "technical details"). */
export function errorLine(t: (key: string) => string, error: Pick<ApiError, "code" | "message">, language: string): string {
  const head = t(`errors.${error.code}`);
  return detailInline(error, language) && error.message !== "" ? `${head} ${error.message}` : head;
}

/** A failure in words: the translated headline for its code, then the detail from Rust. The
 *  detail is Paneldeck's English (the CLI's wording): a reader of another language gets it
 *  folded under "technical details", unless it carries the panel's own words. */
export function ErrorNotice({ error }: { error: ApiError }) {
  const { t, i18n } = useTranslation();
  // Field problems are shown under their fields; the English summary would only repeat them.
  const hasDetail = error.message !== "" && !(error.code === "invalid_input" && error.fields.length > 0);
  const inline = detailInline(error, i18n.language);
  return (
    <div className="notice error" role="alert" data-code={error.code}>
      <strong>{t(`errors.${error.code}`)}</strong>
      {hasDetail &&
        (inline ? (
          <span className="detail">{error.message}</span>
        ) : (
          <details className="detail">
            <summary>{t("errors.technicalDetails")}</summary>
            <bdi dir="ltr" lang="en">
              {error.message}
            </bdi>
          </details>
        ))}
    </div>
  );
}
