import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../api/client";
import { useSavePanel, useTestDraft } from "../api/panels";
import type { ApiError, PanelKind, PanelView, ProbeInfo } from "../api/types";
import { Dialog } from "../components/Dialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { fieldErrorText, probeText } from "../i18n/backendText";
import {
  DEFAULT_MAX_ANSWER_MIB,
  draftFromPanel,
  emptyDraft,
  KINDS,
  localProblems,
  MAX_ANSWER_MIB_CEILING,
  maxAnswerMib,
  maxAnswerProblem,
  secretField,
  toPanelInput,
  type PanelDraft,
} from "./panelForm";

type Props = { editing: PanelView | null; secretStore: string; onClose: () => void };

/** Add or edit a panel. Save tests the connection first; nothing is stored unless it works,
 *  or the user explicitly saves without testing. */
export function PanelDialog({ editing, secretStore, onClose }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PanelDraft>(() => (editing ? draftFromPanel(editing) : emptyDraft()));
  const [error, setError] = useState<ApiError | null>(null);
  const [probe, setProbe] = useState<ProbeInfo | null>(null);
  const probeSummary = probe ? probeText(t, probe) : "";
  const test = useTestDraft();
  const save = useSavePanel();
  const busy = test.isPending || save.isPending;

  const set = <K extends keyof PanelDraft>(key: K, value: PanelDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setProbe(null);
  };
  const local = localProblems(draft);
  const capProblem = maxAnswerProblem(draft.maxAnswerMib);
  if (capProblem) local.maxAnswerMib = t(`form.maxAnswer.${capProblem}`, { max: MAX_ANSWER_MIB_CEILING });
  const fieldError = (name: string) =>
    local[name] ?? fieldErrorText(t, error, name);

  const onFailure = (e: unknown) => {
    setProbe(null);
    setError(toApiError(e));
  };
  const runTest = (override?: Partial<PanelDraft>) => {
    const d = { ...draft, ...override };
    setError(null);
    test.mutate(
      { input: toPanelInput(d), editing: editing?.id ?? null },
      { onSuccess: (info) => setProbe(info), onError: onFailure },
    );
  };
  const runSave = (verify: boolean) => {
    if (Object.keys(local).length > 0) return;
    setError(null);
    save.mutate(
      { id: editing?.id ?? null, input: toPanelInput(draft), verify, maxAnswerMib: maxAnswerMib(draft) },
      { onSuccess: onClose, onError: onFailure },
    );
  };
  const trustCertificate = (fingerprint: string) => {
    set("pinnedCert", fingerprint);
    runTest({ pinnedCert: fingerprint });
  };

  const secretName = secretField(draft);
  const secretLabel =
    draft.kind === "pterodactyl" ? t("form.clientApiKey") : t(`form.${secretName}`);
  const connectionProblem = error && error.code !== "invalid_input";

  return (
    <Dialog
      wide
      title={editing ? t("form.editTitle", { name: editing.name }) : t("form.addTitle")}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <span className="spacer" />
          <button type="button" disabled={busy} onClick={() => runTest()} data-testid="test-connection">
            {test.isPending ? t("panels.testing") : t("form.testConnection")}
          </button>
          {connectionProblem && (
            <button type="button" disabled={busy} onClick={() => runSave(false)} data-testid="save-without-test">
              {t("form.saveWithoutTest")}
            </button>
          )}
          <button type="button" className="primary" disabled={busy} onClick={() => runSave(true)} data-testid="save-panel">
            {t("common.save")}
          </button>
        </>
      }
    >
      <form className="form-grid" onSubmit={(e) => e.preventDefault()}>
        <Field label={t("form.kind")} error={fieldError("kind")}>
          <select
            name="kind"
            value={draft.kind}
            disabled={editing !== null}
            onChange={(e) => set("kind", e.target.value as PanelKind)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("form.name")} error={fieldError("name")}>
          <input name="name" value={draft.name} placeholder={t("form.namePlaceholder")} onChange={(e) => set("name", e.target.value)} />
        </Field>
        <Field label={t("form.baseUrl")} error={fieldError("baseUrl")} hint={t("form.baseUrlHint")}>
          <input
            name="baseUrl"
            dir="ltr"
            value={draft.baseUrl}
            placeholder="https://panel.example.com:2053/path/"
            onChange={(e) => set("baseUrl", e.target.value)}
          />
        </Field>
        <div className="row">
          <Field label={t("form.color")} error={fieldError("color")}>
            <input name="color" type="color" value={draft.color} onChange={(e) => set("color", e.target.value)} />
          </Field>
          <Field label={`${t("form.tag")} (${t("common.optional")})`} error={fieldError("tag")}>
            <input name="tag" value={draft.tag} onChange={(e) => set("tag", e.target.value)} />
          </Field>
        </div>

        {draft.kind === "xui" && (
          <fieldset className="segmented">
            <legend>{t("form.authMode")}</legend>
            {(["token", "password"] as const).map((mode) => (
              <label key={mode}>
                <input type="radio" name="xuiAuth" checked={draft.xuiAuth === mode} onChange={() => set("xuiAuth", mode)} />
                {mode === "token" ? t("form.authToken") : t("form.authPassword")}
              </label>
            ))}
          </fieldset>
        )}
        {(draft.kind === "marzban" || (draft.kind === "xui" && draft.xuiAuth === "password")) && (
          <Field label={t("form.username")} error={fieldError("username")}>
            <input name="username" dir="ltr" autoComplete="off" value={draft.username} onChange={(e) => set("username", e.target.value)} />
          </Field>
        )}
        <Field
          label={secretLabel}
          error={fieldError(secretName)}
          hint={editing ? t("form.keepSecret") : t("form.secretsNote", { store: secretStore })}
        >
          <input
            name="secret"
            type="password"
            dir="ltr"
            autoComplete="new-password"
            value={draft.secret}
            onChange={(e) => set("secret", e.target.value)}
          />
        </Field>
        {draft.kind === "userpass" && (
          <>
            <label className="check">
              <input type="checkbox" checked={draft.keyInQuery} onChange={(e) => set("keyInQuery", e.target.checked)} />
              {t("form.keyInQuery")}
            </label>
            <fieldset className="group">
              <legend>{t("form.gateway")}</legend>
              <div className="row">
                <Field label={t("form.gatewayHost")} error={fieldError("gatewayHost")}>
                  <input name="gatewayHost" dir="ltr" value={draft.gatewayHost} onChange={(e) => set("gatewayHost", e.target.value)} />
                </Field>
                <Field label={t("form.httpPort")} error={fieldError("httpPort")}>
                  <input name="httpPort" inputMode="numeric" dir="ltr" value={draft.httpPort} onChange={(e) => set("httpPort", e.target.value)} />
                </Field>
                <Field label={t("form.socksPort")} error={fieldError("socksPort")}>
                  <input name="socksPort" inputMode="numeric" dir="ltr" value={draft.socksPort} onChange={(e) => set("socksPort", e.target.value)} />
                </Field>
              </div>
            </fieldset>
          </>
        )}
        <Field label={`${t("form.pinnedCert")} (${t("common.optional")})`} error={fieldError("pinnedCert")} hint={t("form.pinnedCertHint")}>
          <input name="pinnedCert" dir="ltr" className="mono" value={draft.pinnedCert} onChange={(e) => set("pinnedCert", e.target.value)} />
        </Field>
        <Field
          label={t("form.maxAnswer.label")}
          error={fieldError("maxAnswerMib")}
          hint={t("form.maxAnswer.hint", { default: DEFAULT_MAX_ANSWER_MIB, max: MAX_ANSWER_MIB_CEILING })}
        >
          <input
            name="maxAnswerMib"
            inputMode="numeric"
            dir="ltr"
            value={draft.maxAnswerMib}
            placeholder={String(DEFAULT_MAX_ANSWER_MIB)}
            onChange={(e) => set("maxAnswerMib", e.target.value)}
          />
        </Field>
      </form>

      {probe && (
        <div className="notice ok" role="status" data-testid="probe-ok">
          {probeSummary ? t("form.testOk", { summary: probeSummary }) : t("panels.connected")}
          {probe.version && <span className="detail">{t("panels.version", { version: probe.version })}</span>}
        </div>
      )}
      {error && error.code === "certificate_not_trusted" && error.fingerprint && (
        <div className="notice warn" role="alert">
          <strong>{t("cert.title")}</strong>
          <span className="detail">{t("cert.body")}</span>
          <code className="mono fingerprint">{error.fingerprint}</code>
          <button type="button" onClick={() => error.fingerprint && trustCertificate(error.fingerprint)}>
            {t("cert.trust")}
          </button>
        </div>
      )}
      {error && error.code === "certificate_mismatch" && error.fingerprint && (
        <div className="notice error" role="alert" data-testid="cert-changed">
          <strong>{t("cert.changedTitle")}</strong>
          <span className="detail">{t("cert.changedBody")}</span>
          <span className="detail">{t("cert.pinned")}</span>
          <code className="mono fingerprint">{draft.pinnedCert}</code>
          <span className="detail">{t("cert.presented")}</span>
          <code className="mono fingerprint">{error.fingerprint}</code>
        </div>
      )}
      {error && error.code !== "certificate_not_trusted" && !(error.code === "certificate_mismatch" && error.fingerprint) && (
        <ErrorNotice error={error} />
      )}
    </Dialog>
  );
}
