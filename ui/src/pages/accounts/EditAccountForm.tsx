import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError, unwrap } from "../../api/client";
import type { AccountDetail, ActionOutcome, ApiError } from "../../api/types";
import { commands } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrorText } from "../../i18n/backendText";
import { AccountFields, useCreateOptions } from "./AccountFields";
import { draftFromDetail, draftProblems, toAccountEdit, type AccountDraft } from "./accountForms";

/** The edit form of one account; the panel's own field errors land under their fields. */
export function EditAccountForm({ detail, onDone }: { detail: AccountDetail; onDone: (saved?: ActionOutcome) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AccountDraft>(() => draftFromDetail(detail));
  const [error, setError] = useState<ApiError | null>(null);
  const options = useCreateOptions(detail.account.kind === "pterodactyl" ? detail.panel.id : null);
  const local = draftProblems(draft, t);
  const save = useMutation({
    mutationFn: () => unwrap(commands.accountEdit(detail.account.key, toAccountEdit(draft))),
    onSuccess: (saved) => onDone(saved),
    onError: (e) => setError(toApiError(e)),
  });
  const set = <K extends keyof AccountDraft>(key: K, value: AccountDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const errors = (field: string) => local[field] ?? fieldErrorText(t, error, field);
  return (
    <form
      className="detail-body"
      data-testid="edit-account-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        if (Object.keys(local).length === 0) save.mutate();
      }}
    >
      <AccountFields draft={draft} set={set} errors={errors} mode="edit" options={options.data} />
      {error && <ErrorNotice error={error} />}
      <div className="button-row">
        <button type="button" onClick={() => onDone()}>
          {t("common.cancel")}
        </button>
        <span className="spacer" />
        <button type="submit" className="primary" disabled={save.isPending} data-testid="save-account">
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}
