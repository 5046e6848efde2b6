import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api/client";
import { pickPath, previewImport } from "../../api/transfer";
import type { ApiError, PanelView } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Field } from "../../components/Field";
import { PanelPicker } from "../../components/PanelPicker";
import { fieldErrorText } from "../../i18n/backendText";
import { InboundConflictFix, useInboundChoice } from "./InboundConflictFix";
import { OtherPanelsNotice } from "./OtherPanelsNotice";
import { PlanFlowDialog } from "./PlanFlowDialog";
import { blankOptions, PlanOptionsFields, toImportOptions, type OptionsDraft } from "./PlanOptionsFields";

/** Import a CSV/JSON account file (ours, or 3x-ui's export) into one panel, previewed first. */
export function ImportDialog({ panels, onClose }: { panels: PanelView[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [path, setPath] = useState("");
  const [panelId, setPanelId] = useState(panels[0]?.id ?? "");
  const [draft, setDraft] = useState<OptionsDraft>(blankOptions);
  const [browseError, setBrowseError] = useState<ApiError | null>(null);
  // Panels of the file's panel column mapped onto the target; a ref, because the preview
  // runs again in the same click that adds one.
  const fromPanels = useRef<string[]>([]);
  const target = panels.find((p) => p.id === panelId);
  const options = toImportOptions(draft, target);
  const inbounds = useInboundChoice(draft, setDraft);

  const browse = async () => {
    setBrowseError(null);
    try {
      const picked = await pickPath("open", path.trim() || null);
      if (picked) setPath(picked);
    } catch (e) {
      setBrowseError(toApiError(e));
    }
  };

  return (
    <PlanFlowDialog
      title={t("importDialog.title")}
      canPreview={path.trim() !== "" && target !== undefined && "options" in options}
      makePreview={() => {
        if (!("options" in options)) throw new Error("unreachable: the preview button is disabled");
        const chosen = fromPanels.current;
        const base = inbounds.withChoice(options.options);
        return previewImport(path.trim(), panelId, chosen.length > 0 ? { ...base, fromPanels: chosen } : base);
      }}
      previewExtra={(preview, again) => (
        <>
          <OtherPanelsNotice
            preview={preview.preview}
            onInclude={(panel) => {
              fromPanels.current = [...fromPanels.current, panel];
              again();
            }}
          />
          <InboundConflictFix
            preview={preview.preview}
            target={target}
            chosen={inbounds.chosen()}
            onApply={(ids) => inbounds.apply(ids, again)}
          />
        </>
      )}
      confirmLabel={(count) => t("importDialog.confirm", { count })}
      onClose={onClose}
      form={(error) => (
        <>
          <Field
            label={t("importDialog.file")}
            hint={t("importDialog.fileHint")}
            error={fieldErrorText(t, error, "path")}
          >
            <div className="path-row">
              <input
                className="mono path-input"
                dir="ltr"
                value={path}
                spellCheck={false}
                placeholder={t("importDialog.filePlaceholder")}
                onChange={(e) => setPath(e.target.value)}
                data-testid="import-path"
              />
              <button type="button" onClick={() => void browse()} data-testid="import-browse">
                {t("exportDialog.browse")}
              </button>
            </div>
          </Field>
          {browseError && <ErrorNotice error={browseError} />}
          <Field label={t("importDialog.target")} error={fieldErrorText(t, error, "panelId")}>
            <PanelPicker label={t("importDialog.target")} panels={panels} value={panelId} onChange={setPanelId} testId="import-panel" />
          </Field>
          <PlanOptionsFields target={target} draft={draft} onChange={inbounds.onDraft} error={error} />
        </>
      )}
    />
  );
}
