import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { useProfileExport, useProfileImport, useProfileImportPreview } from "../../api/settings";
import { pickPath } from "../../api/transfer";
import type { Conflict, ImportChoice } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";

/** Export the whole profile (secrets included) into a passphrase-encrypted file, or import one. */
export function ProfileTransfer() {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t("settingsPage.profile")}</h2>
      <p className="muted small">{t("settingsPage.profileHint")}</p>
      <ExportForm />
      <ImportForm />
    </section>
  );
}

function ExportForm() {
  const { t } = useTranslation();
  const [path, setPath] = useState("");
  const [pass, setPass] = useState("");
  const [again, setAgain] = useState("");
  const exporting = useProfileExport();
  const mismatch = again !== "" && pass !== again;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        exporting.mutate({ path, passphrase: pass });
      }}
    >
      <h3>{t("settingsPage.export")}</h3>
      <PathField value={path} onChange={setPath} kind="save" />
      <label>
        {t("settingsPage.passphrase")}
        <input type="password" data-testid="export-pass" value={pass} onChange={(e) => setPass(e.target.value)} />
      </label>
      <label>
        {t("settingsPage.passphraseAgain")}
        <input type="password" data-testid="export-pass-again" value={again} onChange={(e) => setAgain(e.target.value)} />
      </label>
      {mismatch && <p className="notice error">{t("settingsPage.passphrasesDiffer")}</p>}
      <button type="submit" data-testid="export-profile" disabled={!path || !pass || pass !== again || exporting.isPending}>
        {t("settingsPage.exportButton")}
      </button>
      {exporting.isSuccess && <p data-testid="export-done">{t("settingsPage.exported", { count: exporting.data })}</p>}
      {exporting.error && <ErrorNotice error={toApiError(exporting.error)} />}
    </form>
  );
}

function conflictName(t: (k: string) => string, c: Conflict) {
  return c.type === "panel" ? c.name : t("settingsPage.appSettings");
}

function ImportForm() {
  const { t } = useTranslation();
  const [path, setPath] = useState("");
  const [pass, setPass] = useState("");
  const preview = useProfileImportPreview();
  const importing = useProfileImport();
  const run = (onConflict: ImportChoice) => importing.mutate({ path, passphrase: pass, onConflict });
  const conflicts = preview.data?.conflicts ?? [];
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        importing.reset();
        preview.mutate({ path, passphrase: pass });
      }}
    >
      <h3>{t("settingsPage.import")}</h3>
      <PathField value={path} onChange={setPath} kind="open" />
      <label>
        {t("settingsPage.passphrase")}
        <input type="password" data-testid="import-pass" value={pass} onChange={(e) => setPass(e.target.value)} />
      </label>
      <button type="submit" disabled={!path || !pass || preview.isPending}>
        {t("settingsPage.readFile")}
      </button>
      {preview.data && !importing.isSuccess && (
        <div className="notice info" data-testid="import-preview">
          <p>{t("settingsPage.willImport", { names: preview.data.panels.join(", ") })}</p>
          {conflicts.length > 0 ? (
            <>
              <p>{t("settingsPage.conflicts", { names: conflicts.map((c) => conflictName(t, c)).join(", ") })}</p>
              <button type="button" onClick={() => run("replace")}>{t("settingsPage.replace")}</button>
              <button type="button" onClick={() => run("skip")}>{t("settingsPage.skipExisting")}</button>
            </>
          ) : (
            <button type="button" data-testid="import-confirm" onClick={() => run("skip")}>{t("settingsPage.importButton")}</button>
          )}
        </div>
      )}
      {importing.data && (
        <p data-testid="import-done">
          {t("settingsPage.imported", {
            added: importing.data.added.length,
            replaced: importing.data.replaced.length,
            skipped: importing.data.skipped.length,
          })}
        </p>
      )}
      {(preview.error ?? importing.error) && <ErrorNotice error={toApiError(preview.error ?? importing.error)} />}
    </form>
  );
}

function PathField({ value, onChange, kind }: { value: string; onChange: (v: string) => void; kind: "save" | "open" }) {
  const { t } = useTranslation();
  return (
    <label>
      {t("settingsPage.file")}
      <span className="row">
        <input dir="ltr" value={value} onChange={(e) => onChange(e.target.value)} />
        <button type="button" onClick={() => void pickPath(kind, value || null).then((p) => p && onChange(p))}>
          {t("settingsPage.choose")}
        </button>
      </span>
    </label>
  );
}
