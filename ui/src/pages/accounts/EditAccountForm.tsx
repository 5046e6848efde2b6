import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { accountKeys } from "../../api/accounts";
import { toApiError, unwrap } from "../../api/client";
import type { AccountDetail, ActionOutcome, ApiError, FieldChange } from "../../api/types";
import { commands } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { fieldErrorText } from "../../i18n/backendText";
import { ChangeLine } from "../bulk/PlanItems";
import { AccountFields, useCreateOptions } from "./AccountFields";
import { draftFromDetail, draftProblems, rebaseDraft, toAccountEdit, type AccountDraft } from "./accountForms";

/** The edit form of one account; the panel's own field errors land under their fields.
 *  The save names the account as the form showed it: when the panel changed it since, Rust
 *  sends nothing, and the form takes the panel's values for every field not edited here. */
export function EditAccountForm({ detail, onDone }: { detail: AccountDetail; onDone: (saved?: ActionOutcome) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [shown, setShown] = useState<AccountDetail>(detail);
  const [draft, setDraft] = useState<AccountDraft>(() => draftFromDetail(detail));
  const [error, setError] = useState<ApiError | null>(null);
  const [changed, setChanged] = useState<FieldChange[] | null>(null);
  const options = useCreateOptions(detail.account.kind === "pterodactyl" ? detail.panel.id : null);
  const local = draftProblems(draft, t);
  const key = shown.account.key;

  const rebase = async (changes: FieldChange[]) => {
    const now = await unwrap(commands.accountDetail(key));
    setDraft((d) => rebaseDraft(d, draftFromDetail(shown), draftFromDetail(now)));
    setShown(now);
    setChanged(changes);
    void client.invalidateQueries({ queryKey: accountKeys.detail(key) });
  };
  const save = useMutation({
    mutationFn: () => unwrap(commands.accountEdit(key, toAccountEdit(draft), shown.account)),
    onSuccess: (saved) => onDone(saved),
    onError: (e) => {
      const err = toApiError(e);
      if (err.code === "changed_on_panel") rebase(err.changes).catch((again: unknown) => setError(toApiError(again)));
      else setError(err);
    },
  });
  const set = <K extends keyof AccountDraft>(k: K, value: AccountDraft[K]) => setDraft((d) => ({ ...d, [k]: value }));
  const errors = (field: string) => local[field] ?? fieldErrorText(t, error, field);
  return (
    <form
      className="detail-body"
      data-testid="edit-account-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setChanged(null);
        if (Object.keys(local).length === 0) save.mutate();
      }}
    >
      {changed && (
        <div className="notice warn" role="alert" data-testid="changed-on-panel">
          <strong>{t("editConflict.title")}</strong>
          <ul className="bulk-changes">
            {changed.map((c) => (
              <ChangeLine key={c.field} change={c} />
            ))}
          </ul>
          <span>{t("editConflict.hint")}</span>
        </div>
      )}
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
