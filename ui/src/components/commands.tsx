import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

/** Something the command palette can do. */
export type Command = {
  id: string;
  label: string;
  group: "pages" | "actions" | "panels" | "views";
  /** Its keyboard shortcut, shown beside it. */
  shortcut?: string;
  /** More words it is found by. */
  keywords?: string[];
  run: () => void;
};

type Registry = Map<string, Command[]>;
const RegistryContext = createContext<Registry | null>(null);

/** Holds the commands the shown pages offer, for the palette to list when it opens. */
export function CommandsProvider({ children }: { children: ReactNode }) {
  const [registry] = useState<Registry>(() => new Map());
  return <RegistryContext.Provider value={registry}>{children}</RegistryContext.Provider>;
}

/** Offers `commands` in the palette while the calling component is shown. They are read when
 *  the palette opens, so they may close over the latest state without causing renders. */
export function useRegisterCommands(source: string, commands: Command[]) {
  const registry = useContext(RegistryContext);
  useEffect(() => {
    registry?.set(source, commands);
  });
  useEffect(() => () => void registry?.delete(source), [registry, source]);
}

export function useRegisteredCommands(): () => Command[] {
  const registry = useContext(RegistryContext);
  return () => [...(registry?.values() ?? [])].flat();
}

/** Whether a key press went to something being typed in (where `/` and `?` are text). */
export function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset", "color", "file", "range"].includes(target.type);
}

/** "Focus the search" asked before the accounts page was shown: it takes the focus on mount. */
let searchFocusPending = false;
export const SEARCH_FOCUS_EVENT = "paneldeck:focus-search";

export function requestSearchFocus() {
  searchFocusPending = true;
  window.dispatchEvent(new Event(SEARCH_FOCUS_EVENT));
}

/** Focuses `input` whenever the search is asked for (Ctrl+F, `/`, the palette). */
export function useSearchFocusTarget(input: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const focus = () => {
      if (!input.current) return;
      searchFocusPending = false;
      input.current.focus();
      input.current.select();
    };
    if (searchFocusPending) focus();
    window.addEventListener(SEARCH_FOCUS_EVENT, focus);
    return () => window.removeEventListener(SEARCH_FOCUS_EVENT, focus);
  }, [input]);
}
