import { Command as Cmdk } from "cmdk";
import { Popover } from "radix-ui";
import { useRef, useState, type KeyboardEvent } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

/** One choice: `label` is what shows and what typing matches, with `hint` (a kind, a protocol). */
export type ComboOption = { value: string; label: string; hint?: string; color?: string };

type Common = {
  /** The accessible name of the control (the visible label is the surrounding field's). */
  label: string;
  options: ComboOption[];
  testId?: string;
  disabled?: boolean;
};

type SingleProps = Common & { value: string; onChange: (value: string) => void };

type MultipleProps = Common & {
  values: string[];
  onChange: (values: string[]) => void;
  /** What the closed control says ("All panels", "2 chosen"). */
  summary: string;
};

/** Typing matches any part of a choice's words, in any case (no fuzzy letter-skipping). */
function matches(_value: string, search: string, keywords?: string[]): number {
  const needle = search.trim().toLocaleLowerCase();
  if (needle === "") return 1;
  return (keywords ?? []).join(" ").toLocaleLowerCase().includes(needle) ? 1 : 0;
}

/** A key that types a character: on the closed control it opens the list and starts the search. */
function typedCharacter(e: KeyboardEvent): string | null {
  return e.key.length === 1 && e.key !== " " && !e.ctrlKey && !e.metaKey && !e.altKey ? e.key : null;
}

type PopupProps = Common & {
  chosen: (value: string) => boolean;
  onPick: (value: string) => void;
  /** Several choices: picking one toggles it and the list stays open. */
  multiple: boolean;
  triggerText: string;
  triggerColor?: string | undefined;
};

/**
 * A closed control that opens a list you filter by typing (a Radix popover with cmdk inside):
 * arrows move, Enter picks, Escape closes and focus returns to the control. The control is a
 * `combobox` button; the list a `listbox` of `option`s.
 */
function ComboPopup({ label, options, testId, disabled, chosen, onPick, multiple, triggerText, triggerColor }: PopupProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const trigger = useRef<HTMLButtonElement>(null);
  // Inside a dialog the list opens in the dialog's own element: its focus trap and scroll lock
  // leave that alone (a list in <body> could neither take the focus nor scroll with the wheel).
  const [container, setContainer] = useState<HTMLElement | null>(null);
  const openWith = (text: string) => {
    setContainer(trigger.current?.closest<HTMLElement>("[role=dialog]") ?? null);
    setSearch(text);
    setOpen(true);
  };
  const onTriggerKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const typed = typedCharacter(e);
    if (e.key === "ArrowDown" || e.key === "ArrowUp" || typed !== null) {
      e.preventDefault();
      openWith(typed ?? "");
    }
  };
  const first = options.find((o) => chosen(o.value));
  return (
    <Popover.Root open={open} onOpenChange={(next) => (next ? openWith("") : setOpen(false))}>
      <Popover.Trigger asChild>
        <button
          ref={trigger}
          type="button"
          role="combobox"
          aria-label={label}
          className="combobox-trigger"
          disabled={disabled}
          onKeyDown={onTriggerKey}
          data-testid={testId}
        >
          {triggerColor && <span className="dot" style={{ background: triggerColor }} aria-hidden />}
          <span className="ellipsis">{triggerText}</span>
          <span className="combobox-caret" aria-hidden>
            ▾
          </span>
        </button>
      </Popover.Trigger>
      <Popover.Portal container={container}>
        <Popover.Content className="menu combobox-popup" aria-label={label} align="start" sideOffset={4} data-testid={testId && `${testId}-popup`}>
          <Cmdk label={label} filter={matches} defaultValue={first?.value} loop>
            <Cmdk.Input
              className="combobox-input"
              value={search}
              onValueChange={setSearch}
              placeholder={t("win.comboSearch")}
              data-testid={testId && `${testId}-search`}
            />
            <Cmdk.List className="combobox-list" label={label} aria-multiselectable={multiple || undefined}>
              <Cmdk.Empty className="muted combobox-empty">{t("win.comboEmpty")}</Cmdk.Empty>
              {options.map((o) => (
                <Cmdk.Item
                  key={o.value}
                  value={o.value}
                  keywords={[o.label, o.hint ?? ""]}
                  className="combobox-item"
                  aria-checked={multiple ? chosen(o.value) : undefined}
                  onSelect={() => {
                    onPick(o.value);
                    if (!multiple) setOpen(false);
                  }}
                  data-testid={testId && `${testId}-option`}
                  data-value-id={o.value}
                >
                  <span className="menu-check" aria-hidden>
                    {chosen(o.value) ? "✓" : ""}
                  </span>
                  {o.color && <span className="dot" style={{ background: o.color }} aria-hidden />}
                  <bdi className="ellipsis">{o.label}</bdi>
                  {o.hint && <span className="muted combobox-hint">{o.hint}</span>}
                </Cmdk.Item>
              ))}
            </Cmdk.List>
          </Cmdk>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Picks one of a list that can be long (panels): type to filter. */
export function Combobox({ value, onChange, ...common }: SingleProps) {
  const current = common.options.find((o) => o.value === value);
  const text = current ? (current.hint ? `${current.label} · ${current.hint}` : current.label) : "";
  return (
    <ComboPopup
      {...common}
      multiple={false}
      chosen={(v) => v === value}
      onPick={onChange}
      triggerText={text}
      triggerColor={current?.color}
    />
  );
}

/** Picks any number of a list that can be long (panels to filter by, inbounds): type to filter. */
export function MultiCombobox({ values, onChange, summary, ...common }: MultipleProps) {
  const toggle = (v: string) => onChange(values.includes(v) ? values.filter((x) => x !== v) : [...values, v]);
  return <ComboPopup {...common} multiple chosen={(v) => values.includes(v)} onPick={toggle} triggerText={summary} />;
}

/** What a closed multiple combobox says: "None chosen", the one or two names, or how many. */
export function chosenSummary(options: ComboOption[], values: string[], t: TFunction): string {
  if (values.length === 0) return t("win.noneChosen");
  if (values.length > 2) return t("win.chosenCount", { count: values.length });
  return values.map((v) => options.find((o) => o.value === v)?.label ?? v).join(", ");
}
