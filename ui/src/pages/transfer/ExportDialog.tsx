import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { cancelJob, newJobId, useJobStep } from "../../api/jobs";
import { exportAccounts, exportLinks, isoDate, pickPath, useDefaultPath, withExtension } from "../../api/transfer";
import type { AccountSelection, ApiError, ExportFormat, ExportSummary, LinkSave, LinksSaved, QrImage } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice, errorLine } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { JobProgress } from "../../components/JobProgress";
import { formatBytes, formatCount } from "../../util/format";
import { fieldErrorText } from "../../i18n/backendText";

export type LinkOutput = "txt" | "csv" | "json" | "qrFolder" | "qrZip" | "html";
const LINK_OUTPUTS: LinkOutput[] = ["txt", "csv", "json", "qrFolder", "qrZip", "html"];
const PNG_SCALES = [4, 8, 12, 16] as const;

type What = "accounts" | "links";
type Choice = { what: What; format: ExportFormat; output: LinkOutput; image: "png" | "svg"; scale: number };

/** The file (or, for a QR folder, folder) name an export suggests. */
export function defaultName(c: Choice, date: string): string {
  if (c.what === "accounts") return `paneldeck-accounts-${date}.${c.format}`;
  if (c.output === "qrFolder") return `paneldeck-qr-${date}`;
  if (c.output === "qrZip") return `paneldeck-qr-${date}.zip`;
  return `paneldeck-links-${date}.${c.output}`;
}

/** The extension the chosen output is written with; `null` for a folder. */
function extensionOf(c: Choice): string | null {
  if (c.what === "accounts") return c.format;
  if (c.output === "qrFolder") return null;
  if (c.output === "qrZip") return "zip";
  return c.output;
}

/** What `linksExport` is asked to write. */
export function linkSave(c: Choice): LinkSave {
  const image: QrImage = c.image === "png" ? { type: "png", scale: c.scale } : { type: "svg" };
  switch (c.output) {
    case "txt":
    case "csv":
    case "json":
      return { type: "list", format: c.output };
    case "qrFolder":
      return { type: "qrFolder", image };
    case "qrZip":
      return { type: "qrZip", image };
    case "html":
      return { type: "htmlSheet" };
  }
}

type Result = { what: "accounts"; summary: ExportSummary; path: string } | { what: "links"; saved: LinksSaved };

type Props = {
  selection: AccountSelection;
  /** Which accounts, in words: "42 selected", "all 1,200 matching". */
  description: string;
  onClose: () => void;
};

/** Writes the selection's accounts (CSV/JSON) or links (lists, QR images, a printable sheet). */
export function ExportDialog({ selection, description, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [choice, setChoice] = useState<Choice>({ what: "accounts", format: "csv", output: "txt", image: "png", scale: 8 });
  const [credentials, setCredentials] = useState(false);
  const [date] = useState(isoDate);
  const suggested = useDefaultPath(defaultName(choice, date));
  // `null` until the user types or picks a path; until then the path follows the format.
  const [edited, setEdited] = useState<string | null>(null);
  const path = edited ?? suggested.data ?? "";
  const folder = choice.what === "links" && choice.output === "qrFolder";
  // Each run's progress events carry its own id; Cancel stops that run.
  const [jobId, setJobId] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const step = useJobStep(jobId);

  const run = useMutation({
    mutationFn: async (): Promise<Result> => {
      const id = newJobId();
      setJobId(id);
      setCancelling(false);
      if (choice.what === "accounts") {
        const summary = await exportAccounts(selection, { format: choice.format, includeCredentials: credentials }, path, id);
        return { what: "accounts", summary, path };
      }
      return { what: "links", saved: await exportLinks(selection, linkSave(choice), path, id) };
    },
  });
  const failure = run.error ? toApiError(run.error) : null;
  const cancelled = failure?.code === "cancelled";
  const error = cancelled ? null : failure;
  const cancel = () => {
    if (jobId === null) return;
    setCancelling(true);
    void cancelJob(jobId);
  };
  // Closing the dialog while it writes stops the job (nothing is written).
  const close = () => {
    if (run.isPending) cancel();
    onClose();
  };
  const [browseError, setBrowseError] = useState<ApiError | null>(null);

  const change = (patch: Partial<Choice>) => {
    const next = { ...choice, ...patch };
    setChoice(next);
    if (edited !== null) setEdited(withExtension(edited, extensionOf(next)));
    run.reset();
  };

  const browse = async () => {
    setBrowseError(null);
    try {
      const picked = await pickPath(folder ? "folder" : "save", path || null);
      if (picked) {
        setEdited(picked);
        run.reset();
      }
    } catch (e) {
      setBrowseError(toApiError(e));
    }
  };

  return (
    <Dialog
      wide
      title={t("exportDialog.title")}
      onClose={close}
      footer={
        <>
          <button type="button" onClick={close}>
            {run.isSuccess ? t("common.close") : t("common.cancel")}
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="primary"
            disabled={run.isPending || path.trim() === ""}
            onClick={() => run.mutate()}
            data-testid="export-run"
          >
            {run.isPending ? t("exportDialog.running") : t("exportDialog.run")}
          </button>
        </>
      }
    >
      <p className="muted" data-testid="export-scope">
        {t("exportDialog.scope", { description })}
      </p>
      <fieldset className="segmented">
        <legend>{t("exportDialog.what")}</legend>
        {(["accounts", "links"] as const).map((w) => (
          <label key={w}>
            <input type="radio" name="export-what" checked={choice.what === w} onChange={() => change({ what: w })} />
            {t(`exportDialog.whatOption.${w}`)}
          </label>
        ))}
      </fieldset>

      {choice.what === "accounts" ? (
        <>
          <fieldset className="segmented">
            <legend>{t("exportDialog.format")}</legend>
            {(["csv", "json"] as const).map((f) => (
              <label key={f}>
                <input type="radio" name="export-format" checked={choice.format === f} onChange={() => change({ format: f })} />
                {t(`exportDialog.formatOption.${f}`)}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input
              type="checkbox"
              checked={credentials}
              onChange={(e) => {
                setCredentials(e.target.checked);
                run.reset();
              }}
              data-testid="export-credentials"
            />
            {t("exportDialog.includeCredentials")}
          </label>
          {credentials && (
            <p className="notice warn" role="note" data-testid="export-credentials-warning">
              {t("exportDialog.credentialsWarning")}
            </p>
          )}
        </>
      ) : (
        <>
          <Field label={t("exportDialog.linkOutput")}>
            <select value={choice.output} onChange={(e) => change({ output: e.target.value as LinkOutput })} data-testid="export-link-output">
              {LINK_OUTPUTS.map((o) => (
                <option key={o} value={o}>
                  {t(`exportDialog.linkOption.${o}`)}
                </option>
              ))}
            </select>
          </Field>
          {(choice.output === "qrFolder" || choice.output === "qrZip") && (
            <div className="row">
              <Field label={t("exportDialog.image")}>
                <select value={choice.image} onChange={(e) => change({ image: e.target.value as Choice["image"] })} data-testid="export-image">
                  <option value="png">{t("exportDialog.imageOption.png")}</option>
                  <option value="svg">{t("exportDialog.imageOption.svg")}</option>
                </select>
              </Field>
              {choice.image === "png" && (
                <Field label={t("exportDialog.scale")} hint={t("exportDialog.scaleHint")}>
                  <select value={choice.scale} onChange={(e) => change({ scale: Number(e.target.value) })}>
                    {PNG_SCALES.map((s) => (
                      <option key={s} value={s}>
                        {t("exportDialog.scaleOption", { count: s })}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </div>
          )}
          <p className="muted small">{t("exportDialog.linksHint")}</p>
        </>
      )}

      <Field
        label={folder ? t("exportDialog.folder") : t("exportDialog.file")}
        error={fieldErrorText(t, error, "path")}
      >
        <div className="path-row">
          <input
            className="mono path-input"
            dir="ltr"
            value={path}
            spellCheck={false}
            onChange={(e) => {
              setEdited(e.target.value);
              run.reset();
            }}
            data-testid="export-path"
          />
          <button type="button" onClick={() => void browse()}>
            {t("exportDialog.browse")}
          </button>
        </div>
      </Field>
      {browseError && <ErrorNotice error={browseError} />}
      {run.isPending && (
        <JobProgress
          done={step?.done ?? 0}
          total={step?.total ?? null}
          label={t(`job.phase.${step?.phase ?? "writing"}`)}
          onCancel={cancel}
          cancelling={cancelling}
          testId="export-progress"
        />
      )}
      {cancelled && (
        <p className="notice info" role="status" data-testid="export-cancelled">
          {t("job.cancelled")}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {run.data && (
        <div className="notice ok" role="status" data-testid="export-result">
          {run.data.what === "accounts" ? (
            <strong>
              {t("exportDialog.resultAccounts", {
                count: run.data.summary.accounts,
                size: formatBytes(Number(run.data.summary.bytes), i18n.language),
              })}
            </strong>
          ) : (
            <strong>
              {t("exportDialog.resultLinks", { count: run.data.saved.links })}{" "}
              {t("exportDialog.resultLinkAccounts", { count: run.data.saved.accounts })}{" "}
              {t("exportDialog.resultFiles", { count: run.data.saved.files })}
            </strong>
          )}
          <span>
            {t("exportDialog.savedTo")}{" "}
            <code className="mono wrap" dir="ltr">
              {run.data.what === "accounts" ? run.data.path : run.data.saved.path}
            </code>
          </span>
        </div>
      )}
      {run.data?.what === "links" && run.data.saved.unread.length > 0 && (
        <div className="notice warn" role="status" data-testid="export-unread">
          <strong>
            {t("exportDialog.unread", {
              count: run.data.saved.unread.length,
              n: formatCount(run.data.saved.unread.length, i18n.language),
            })}
          </strong>
          <ul>
            {run.data.saved.unread.map((u) => (
              <li key={u.name}>
                <bdi>{u.name}</bdi>: {errorLine(t, u.error, i18n.language)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}
