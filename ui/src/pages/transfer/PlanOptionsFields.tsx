import { useTranslation } from "react-i18next";

import { parseInboundIds } from "../../api/transfer";
import type { ApiError, ImportOptions, PanelView } from "../../api/types";
import { Field } from "../../components/Field";
import { useCreateOptions } from "../accounts/AccountFields";
import { fieldErrorText } from "../../i18n/backendText";

/** What the user typed for the plan options. */
export type OptionsDraft = { createOnly: boolean; inbounds: string };

export const blankOptions: OptionsDraft = { createOnly: false, inbounds: "" };

/** The options as Rust takes them, or the message for the inbound field. The inbound ids
 *  only matter for a 3x-ui target. */
export function toImportOptions(d: OptionsDraft, target: PanelView | undefined): { options: ImportOptions } | { bad: string } {
  if (target?.kind !== "xui") return { options: { createOnly: d.createOnly, xuiInboundIds: [] } };
  const parsed = parseInboundIds(d.inbounds);
  if ("bad" in parsed) return { bad: parsed.bad };
  return { options: { createOnly: d.createOnly, xuiInboundIds: parsed.ids } };
}

type Props = {
  target: PanelView | undefined;
  draft: OptionsDraft;
  onChange: (d: OptionsDraft) => void;
  error: ApiError | null;
};

/** "Create only", and for a 3x-ui target the inbounds for rows whose own do not fit. */
export function PlanOptionsFields({ target, draft, onChange, error }: Props) {
  const { t } = useTranslation();
  const xui = target?.kind === "xui";
  const options = useCreateOptions(xui && target ? target.id : null);
  const parsed = toImportOptions(draft, target);
  const inbounds = options.data?.kind === "xui" ? options.data.inbounds : [];
  const serverError = fieldErrorText(t, error, "xuiInboundIds", "inbounds");
  return (
    <fieldset className="plan-options">
      <legend>{t("importDialog.options")}</legend>
      <label className="check">
        <input type="checkbox" checked={draft.createOnly} onChange={(e) => onChange({ ...draft, createOnly: e.target.checked })} data-testid="plan-create-only" />
        {t("importDialog.createOnly")}
      </label>
      <p className="muted small">{t("importDialog.createOnlyHint")}</p>
      {xui && (
        <Field
          label={t("importDialog.inbounds")}
          hint={t("importDialog.inboundsHint")}
          error={"bad" in parsed ? t("importDialog.inboundsBad", { value: parsed.bad }) : serverError}
        >
          <input
            dir="ltr"
            className="mono"
            inputMode="numeric"
            placeholder="1, 2"
            value={draft.inbounds}
            onChange={(e) => onChange({ ...draft, inbounds: e.target.value })}
            data-testid="plan-inbounds"
          />
        </Field>
      )}
      {xui && inbounds.length > 0 && (
        <ul className="tags inbound-tags" aria-label={t("importDialog.inboundsOnPanel")}>
          {inbounds.map((i) => (
            <li key={i.id} className="badge" title={i.enable ? undefined : t("importDialog.inboundDisabled")}>
              <span dir="ltr" className="mono">
                {i.id}
              </span>{" "}
              <span dir="auto">{i.remark || i.protocol}</span> <span className="muted">({i.protocol})</span>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
