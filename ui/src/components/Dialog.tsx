import { Dialog as Primitive } from "radix-ui";
import type { KeyboardEvent, ReactNode } from "react";

type Props = { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean };

/** Fields where Enter means "submit the dialog" (not a new line, not a press of the button). */
function submitsOnEnter(target: EventTarget): boolean {
  if (target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !["button", "submit", "reset", "file", "color"].includes(target.type);
}

/**
 * A modal dialog on Radix: focus moves in and stays in (Tab cycles inside), Escape closes, the
 * page behind is inert, focus returns to what opened it. Enter in a field presses the footer's
 * primary button, when it is enabled — the dialog's "OK" (unless a list inside took the Enter).
 */
export function Dialog({ title, onClose, children, footer, wide }: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" || e.defaultPrevented || e.shiftKey || e.nativeEvent.isComposing || !submitsOnEnter(e.target)) return;
    const primary = e.currentTarget.querySelector<HTMLButtonElement>(".dialog-footer button.primary:not(:disabled)");
    if (!primary) return;
    e.preventDefault();
    primary.click();
  };
  return (
    <Primitive.Root open onOpenChange={(open) => !open && onClose()}>
      <Primitive.Portal>
        <Primitive.Overlay className="backdrop" />
        <Primitive.Content className={wide ? "dialog wide" : "dialog"} aria-describedby={undefined} onKeyDown={onKeyDown}>
          <Primitive.Title asChild>
            <h2>{title}</h2>
          </Primitive.Title>
          <div className="dialog-body">{children}</div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}
