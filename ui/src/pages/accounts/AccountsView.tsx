import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

import type { AccountQuery } from "../../api/types";

export const initialQuery: AccountQuery = {
  search: "",
  panelIds: [],
  kinds: [],
  statuses: [],
  expiringWithinDays: null,
  depleted: false,
  online: null,
  group: null,
  protocol: null,
  sort: "name",
  descending: false,
  offset: 0,
  limit: 100,
};

/** The filters without the order: what "Clear filters" resets (the sort stays). */
export function clearedFilters(q: AccountQuery): AccountQuery {
  return { ...initialQuery, sort: q.sort, descending: q.descending };
}

type View = [AccountQuery, (q: AccountQuery | ((q: AccountQuery) => AccountQuery)) => void];

const AccountsViewContext = createContext<View | null>(null);

const KEY = "paneldeck.accounts.query";

/** The query of the last session (its fields over today's defaults, so new fields get theirs). */
function savedQuery(): AccountQuery {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<AccountQuery> | null;
    return saved && typeof saved === "object" ? { ...initialQuery, ...saved, offset: 0, limit: initialQuery.limit } : initialQuery;
  } catch {
    return initialQuery;
  }
}

/**
 * The accounts table's query, held above the pages so search, filters and sort survive a
 * visit to another page (and, through localStorage, a restart), and so the dashboard can open
 * the table already filtered.
 */
export function AccountsViewProvider({ children }: { children: ReactNode }) {
  const view = useState<AccountQuery>(savedQuery);
  const [query] = view;
  useEffect(() => localStorage.setItem(KEY, JSON.stringify(query)), [query]);
  return <AccountsViewContext.Provider value={view}>{children}</AccountsViewContext.Provider>;
}

export function useAccountsView(): View {
  const view = useContext(AccountsViewContext);
  if (!view) throw new Error("useAccountsView outside AccountsViewProvider");
  return view;
}

/** Opens the accounts page showing exactly `q` (a dashboard number's accounts). */
export function useOpenAccounts(): (q: Partial<AccountQuery>) => void {
  const [, setQuery] = useAccountsView();
  return (q) => {
    setQuery({ ...initialQuery, ...q });
    window.location.hash = "#/accounts";
  };
}
