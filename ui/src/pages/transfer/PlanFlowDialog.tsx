import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { confirmImport, discardImport } from "../../api/transfer";
import type { ApiError, BulkPlan, ImportPreview } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { BulkRunPanel } from "../bulk/BulkRunPanel";
import { PlanPreviewView } from "./PlanPreviewView";

type Props = {
  title: string;
  /** The form before the preview; gets the preview's error for per-field messages. */
  form: (error: ApiError | null) => ReactNode;
  /** Whether the form is complete enough to preview. */
  canPreview: boolean;
  makePreview: () => Promise<ImportPreview>;
  /** The confirm button: "Import 12", "Migrate 12". */
  confirmLabel: (count: number) => string;
  onClose: () => void;
  /** Shown above the preview; `again` previews anew (after the options changed). */
  previewExtra?: (preview: ImportPreview, again: () => void) => ReactNode;
};

/**
 * Form → preview (nothing written) → confirm → the bulk run. A preview not confirmed is
 * discarded in Rust when the user goes back or closes the dialog.
 */
export function PlanFlowDialog({ title, form, canPreview, makePreview, confirmLabel, onClose, previewExtra }: Props) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  // A file with bad rows writes nothing unless the user chooses to import the good rows alone.
  const [skipBadRows, setSkipBadRows] = useState(false);
  // The preview Rust still holds for us (cleared once confirmed or discarded).
  const held = useRef<string | null>(null);
  const discard = useCallback(() => {
    const id = held.current;
    held.current = null;
    if (id !== null) void discardImport(id);
  }, []);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      discard();
    };
  }, [discard]);

  const previewing = useMutation({
    mutationFn: () => makePreview(),
    onSuccess: (p) => {
      // Closed while Rust was diffing: nobody will confirm this one.
      if (!alive.current) return void discardImport(p.previewId);
      discard();
      held.current = p.previewId;
      setPreview(p);
    },
  });
  const confirming = useMutation({
    mutationFn: (p: ImportPreview) => confirmImport(p.previewId, skipBadRows),
    onSuccess: (confirmed) => {
      held.current = null;
      setPlan(confirmed);
    },
  });
  // Stable, so the dialog does not move the focus back to its first field on every keystroke.
  const close = useCallback(() => {
    discard();
    onClose();
  }, [discard, onClose]);
  const back = () => {
    discard();
    setPreview(null);
    setSkipBadRows(false);
    previewing.reset();
    confirming.reset();
  };

  if (plan) {
    return (
      <Dialog wide title={title} onClose={onClose}>
        <BulkRunPanel plan={plan} onClose={onClose} autoStart />
      </Dialog>
    );
  }

  const toWrite = preview ? preview.preview.counts.create + preview.preview.counts.update : 0;
  const badRows = preview ? preview.preview.counts.errors : 0;
  const previewError = previewing.error ? toApiError(previewing.error) : null;
  return (
    <Dialog
      wide
      title={title}
      onClose={close}
      footer={
        preview ? (
          <>
            <button type="button" onClick={close}>
              {t("common.cancel")}
            </button>
            <button type="button" onClick={back} disabled={confirming.isPending} data-testid="plan-back">
              {t("importDialog.back")}
            </button>
            <span className="spacer" />
            <button
              type="button"
              className="primary"
              disabled={toWrite === 0 || (badRows > 0 && !skipBadRows) || confirming.isPending}
              onClick={() => confirming.mutate(preview)}
              data-testid="plan-confirm"
            >
              {confirmLabel(toWrite)}
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={close}>
              {t("common.cancel")}
            </button>
            <span className="spacer" />
            <button
              type="button"
              className="primary"
              disabled={!canPreview || previewing.isPending}
              onClick={() => previewing.mutate()}
              data-testid="plan-preview-run"
            >
              {previewing.isPending ? t("importDialog.previewing") : t("importDialog.preview")}
            </button>
          </>
        )
      }
    >
      {preview ? (
        <>
          <p className="notice info" role="status">
            {t("importDialog.nothingWritten")}
          </p>
          {previewExtra?.(preview, () => previewing.mutate())}
          <PlanPreviewView preview={preview.preview} />
          {toWrite === 0 && <p className="muted">{t("importDialog.nothingToDo")}</p>}
          {badRows > 0 && (
            <label className="check">
              <input
                type="checkbox"
                checked={skipBadRows}
                onChange={(e) => setSkipBadRows(e.target.checked)}
                data-testid="plan-skip-bad-rows"
              />
              {t("importDialog.skipBadRows", { count: badRows })}
            </label>
          )}
          {confirming.error && <ErrorNotice error={toApiError(confirming.error)} />}
        </>
      ) : (
        <>
          {form(previewError)}
          {previewError && <ErrorNotice error={previewError} />}
        </>
      )}
    </Dialog>
  );
}
