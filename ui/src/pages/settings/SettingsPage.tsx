import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { openFolder, useSaveSettings, useSettingsInfo, useUpdateCheck, useUpdateInstall } from "../../api/settings";
import type { Folder, SettingsInfo } from "../../bindings";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Licenses } from "./Licenses";
import { ProfileTransfer } from "./ProfileTransfer";

/** Where things are, what this build is, updates, the profile's move to another machine, licenses. */
export function SettingsPage() {
  const { t } = useTranslation();
  const info = useSettingsInfo();
  if (info.isPending) return <p className="muted">{t("app.loading")}</p>;
  if (info.error) return <ErrorNotice error={toApiError(info.error)} />;
  return (
    <section className="page" data-testid="settings-page">
      <h1>{t("settingsPage.title")}</h1>
      <About info={info.data} />
      <Updates info={info.data} />
      <ProfileTransfer />
      <Licenses />
    </section>
  );
}

function About({ info }: { info: SettingsInfo }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const open = (folder: Folder) => openFolder(folder).then(() => setError(null), setError);
  return (
    <section className="card">
      <h2>{t("settingsPage.about")}</h2>
      <dl className="facts">
        <dt>{t("settingsPage.dataDir")}</dt>
        <dd>
          <code dir="ltr">{info.dataDir}</code>{" "}
          <button type="button" data-testid="open-data" onClick={() => void open("data")}>
            {t("settingsPage.open")}
          </button>
        </dd>
        <dt>{t("settingsPage.logDir")}</dt>
        <dd>
          <code dir="ltr">{info.logDir}</code>{" "}
          <button type="button" data-testid="open-logs" onClick={() => void open("logs")}>
            {t("settingsPage.open")}
          </button>
        </dd>
        <dt>{t("settingsPage.keyring")}</dt>
        <dd data-testid="keyring">{info.secretStore}</dd>
        <dt>{t("settingsPage.version")}</dt>
        <dd dir="ltr" data-testid="version">
          {info.version} ({info.buildProfile}, {info.target}
          {info.commit ? `, ${info.commit}` : ""})
        </dd>
      </dl>
      {error !== null && <ErrorNotice error={toApiError(error)} />}
    </section>
  );
}

function Updates({ info }: { info: SettingsInfo }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(info.settings.updates?.manifestUrl ?? "");
  const save = useSaveSettings();
  const check = useUpdateCheck();
  const install = useUpdateInstall();
  const saved = info.settings.updates?.manifestUrl ?? "";
  const failure = save.error ?? check.error ?? install.error;
  return (
    <section className="card">
      <h2>{t("settingsPage.updates")}</h2>
      {!info.updateKeyPresent && <p className="notice info">{t("settingsPage.noUpdateKey")}</p>}
      <label>
        {t("settingsPage.manifestUrl")}
        <input
          dir="ltr"
          data-testid="manifest-url"
          value={url}
          placeholder="https://…/latest.json"
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <p className="muted small">{t("settingsPage.manifestHint")}</p>
      <div className="actions">
        <button type="button" disabled={url === saved || save.isPending} onClick={() => save.mutate({ ...info.settings, updates: { manifestUrl: url || null } })}>
          {t("settingsPage.save")}
        </button>
        <button type="button" data-testid="update-check" disabled={!saved || check.isPending} onClick={() => check.mutate()}>
          {t("settingsPage.check")}
        </button>
      </div>
      {check.isSuccess && check.data === null && <p data-testid="up-to-date">{t("settingsPage.upToDate")}</p>}
      {check.data && (
        <div className="notice info" data-testid="update-offer">
          <strong>{t("settingsPage.offer", { version: check.data.version, current: check.data.currentVersion })}</strong>
          {check.data.notes && <pre className="notes">{check.data.notes}</pre>}
          <button type="button" disabled={install.isPending} onClick={() => install.mutate()}>
            {install.isPending ? t("settingsPage.installing") : t("settingsPage.install")}
          </button>
        </div>
      )}
      {failure && <ErrorNotice error={toApiError(failure)} />}
    </section>
  );
}
