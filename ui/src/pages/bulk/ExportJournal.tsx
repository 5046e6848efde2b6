import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { defaultPath, exportJournal, useBrowseSavePath } from "../../api/bulk";
import { toApiError } from "../../api/client";
import type { ExportFormat, OpId } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { fieldErrorText } from "../../i18n/backendText";

/** The file name suggested for an operation's journal. */
export const journalFileName = (opId: OpId, format: ExportFormat) => `paneldeck-operation-${opId.slice(0, 8)}.${format}`;

/** `path` with its `.csv` / `.json` ending switched to `format` (other endings are kept). */
export function withFormat(path: string, format: ExportFormat): string {
  return /\.(csv|json)$/i.test(path) ? path.replace(/\.(csv|json)$/i, `.${format}`) : path;
}

/** Writes one operation's journal (CSV or JSON) to a path typed or picked in the OS dialog. */
export function ExportJournal({ opId }: { opId: OpId }) {
  const { t } = useTranslation();
  const name = journalFileName(opId, "csv");
  const suggested = useQuery({ queryKey: ["defaultPath", name], queryFn: () => defaultPath(name), staleTime: Infinity });
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [typed, setTyped] = useState<string | null>(null);
  const path = typed ?? withFormat(suggested.data ?? "", format);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => exportJournal(opId, format, path),
    onSuccess: () => setSaved(path),
  });
  const browse = useBrowseSavePath(path, setTyped);
  const error = save.error ?? browse.error;
  const apiError = error ? toApiError(error) : null;
  const pathError = fieldErrorText(t, apiError, "path");
  return (
    <form
      className="ops-export"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(null);
        save.mutate();
      }}
    >
      <h3>{t("operations.export")}</h3>
      <fieldset className="segmented">
        <legend>{t("operations.format")}</legend>
        {(["csv", "json"] as const).map((f) => (
          <label key={f}>
            <input
              type="radio"
              name={`format-${opId}`}
              checked={format === f}
              onChange={() => {
                setFormat(f);
                if (typed !== null) setTyped(withFormat(typed, f));
              }}
            />
            {t(`operations.formats.${f}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t("operations.path")} error={pathError}>
        <span className="ops-path">
          <input
            dir="ltr"
            className="mono"
            data-testid="ops-export-path"
            value={path}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="button" onClick={() => browse.mutate()} disabled={browse.isPending} data-testid="ops-export-browse">
            {t("operations.browse")}
          </button>
        </span>
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending || path.trim() === ""} data-testid="ops-export">
          {save.isPending ? t("operations.exporting") : t("operations.exportButton")}
        </button>
      </div>
      {saved && (
        <p className="notice ok" role="status">
          {t("operations.exported", { path: `\u2066${saved}\u2069` })}
        </p>
      )}
      {apiError && !pathError && <ErrorNotice error={apiError} />}
    </form>
  );
}
