import { Tooltip } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/**
 * A tooltip on hover and on keyboard focus (Radix), for icon buttons and cut-off text. The
 * child must take a ref and props (a button, a span).
 */
export function Tip({ label, children }: { label: ReactNode; children: ReactElement }) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" sideOffset={4} collisionPadding={8}>
          {label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
