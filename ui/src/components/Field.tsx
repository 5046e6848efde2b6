import type { ReactNode } from "react";

type Props = { label: string; error?: string | undefined; hint?: string | undefined; children: ReactNode };

/** A labelled form control with its hint and, under it, the error for this field. */
export function Field({ label, error, hint, children }: Props) {
  return (
    <label className={error ? "field invalid" : "field"}>
      <span className="label">{label}</span>
      {children}
      {hint && !error && <span className="hint">{hint}</span>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
