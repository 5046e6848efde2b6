import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError, unwrap } from "../../api/client";
import type { ActionOutcome, ApiError, PanelView } from "../../api/types";
import { commands } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { PanelPicker } from "../../components/PanelPicker";
import { fieldErrorText, outcomeText } from "../../i18n/backendText";
import { AccountFields, useCreateOptions } from "./AccountFields";
import { blankDraft, draftProblems, toNewAccount, type AccountDraft } from "./accountForms";

/** Create an account on one panel, with that kind's form. */
export function CreateAccountDialog({ panels, onClose }: { panels: PanelView[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [panelId, setPanelId] = useState(panels[0]?.id ?? "");
  const panel = panels.find((p) => p.id === panelId);
  const [draft, setDraft] = useState<AccountDraft>(() => blankDraft(panels[0]?.kind ?? "xui"));
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<ActionOutcome[] | null>(null);
  const options = useCreateOptions(panel ? panel.id : null);
  const local = draftProblems(draft, t);
  const create = useMutation({
    mutationFn: () => unwrap(commands.accountCreate(panelId, toNewAccount(draft))),
    onSuccess: (outcomes) => {
      setCreated(outcomes);
    },
    onError: (e) => setError(toApiError(e)),
  });
  const set = <K extends keyof AccountDraft>(key: K, value: AccountDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const errors = (field: string) => local[field] ?? fieldErrorText(t, error, field);
  const choosePanel = (id: string) => {
    const next = panels.find((p) => p.id === id);
    setPanelId(id);
    if (next && next.kind !== draft.kind) setDraft(blankDraft(next.kind));
    setError(null);
  };
  return (
    <Dialog
      wide
      title={t("accounts.create")}
      onClose={onClose}
      footer={
        created ? (
          <button type="button" className="primary" onClick={onClose}>
            {t("common.close")}
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              {t("common.cancel")}
            </button>
            <span className="spacer" />
            <button
              type="button"
              className="primary"
              disabled={create.isPending || Object.keys(local).length > 0}
              onClick={() => {
                setError(null);
                create.mutate();
              }}
              data-testid="create-account"
            >
              {t("form2.create")}
            </button>
          </>
        )
      }
    >
      {created ? (
        <div className="notice ok" role="status">
          {created.map((o) => (
            <span key={o.nativeId}>
              {o.message ? outcomeText(t, o.message) : o.nativeId}
              {o.secret && <code className="mono"> {o.secret}</code>}
            </span>
          ))}
        </div>
      ) : (
        <>
          <Field label={t("detail.panel")}>
            <PanelPicker label={t("detail.panel")} panels={panels} value={panelId} onChange={choosePanel} testId="create-panel" />
          </Field>
          {options.error && <ErrorNotice error={toApiError(options.error)} />}
          <AccountFields draft={draft} set={set} errors={errors} mode="create" options={options.data} />
          {error && <ErrorNotice error={error} />}
        </>
      )}
    </Dialog>
  );
}
