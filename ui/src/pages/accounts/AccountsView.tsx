import { createContext, useContext, useState, type ReactNode } from "react";

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

/**
 * The accounts table's query, held above the pages so search, filters and sort survive a
 * visit to another page, and so the dashboard can open the table already filtered.
 */
export function AccountsViewProvider({ children }: { children: ReactNode }) {
  const view = useState<AccountQuery>(initialQuery);
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
