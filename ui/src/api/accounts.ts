import { keepPreviousData, useQueries, useQuery, useQueryClient, type QueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";

import { commands, events } from "../bindings";
import { unwrap } from "./client";
import { transferKeys } from "./transfer";
import type { AccountKey, AccountPage, AccountQuery, AccountRow, SnapshotChange, SyncEvent } from "./types";

/** Rows are fetched from Rust in blocks of this many: those on screen, and a few ahead. */
export const BLOCK = 100;

/** The way a list is being scrolled: 1 down, -1 up, 0 jumping. */
export type Direction = 1 | -1 | 0;

export const accountKeys = {
  all: ["accounts"] as const,
  block: (q: AccountQuery, block: number) => ["accounts", "block", q, block] as const,
  detail: (key: AccountKey) => ["accounts", "detail", key.panelId, key.nativeId] as const,
  dashboard: ["accounts", "dashboard"] as const,
  health: ["accounts", "health"] as const,
};

/** Blocks fetched beyond the rows on screen, in the direction of the scroll: a fast scroll
 *  (a fling moves 50 rows a frame) then finds most of its rows loaded when it gets there. */
const AHEAD = 2;
/** A scroll that moves farther than this in one step (a dragged scrollbar) would pass the
 *  blocks ahead before they arrived: none are fetched for it. */
export const AHEAD_ROWS = AHEAD * BLOCK;

/** Block queries Rust runs at once. A query's first block filters and sorts the whole snapshot
 *  (later ones are slices of that order), so while a fast scroll asks for new blocks every
 *  frame, the rest wait their turn here. */
const IN_FLIGHT = 1;
let running = 0;
/** Block queries waiting for a turn: blocks on screen, then blocks ahead. The newest on screen
 *  goes first (it is where the user is now); blocks ahead wait for them and go nearest first.
 *  (TanStack Query cancels those scrolled past, which takes them out.) */
const waiting: { onScreen: (() => void)[]; ahead: (() => void)[] } = { onScreen: [], ahead: [] };

/** Waits for a turn to query Rust. A block scrolled past before its turn came is cancelled by
 *  TanStack Query (`signal`) and never asked for. */
function acquireTurn(signal: AbortSignal, ahead: boolean): Promise<void> {
  if (running < IN_FLIGHT) {
    running += 1;
    return Promise.resolve();
  }
  const queue = ahead ? waiting.ahead : waiting.onScreen;
  return new Promise((resolve, reject) => {
    const start = () => {
      signal.removeEventListener("abort", abort);
      running += 1;
      resolve();
    };
    const abort = () => {
      const at = queue.indexOf(start);
      if (at >= 0) queue.splice(at, 1);
      reject(signal.reason);
    };
    queue.push(start);
    signal.addEventListener("abort", abort, { once: true });
  });
}

function releaseTurn() {
  running -= 1;
  (waiting.onScreen.pop() ?? waiting.ahead.shift())?.();
}

async function fetchBlock(query: AccountQuery, block: number, ahead: boolean, signal: AbortSignal): Promise<AccountPage> {
  await acquireTurn(signal, ahead);
  try {
    return await unwrap(commands.accountsQuery({ ...query, offset: block * BLOCK, limit: BLOCK }));
  } finally {
    releaseTurn();
  }
}

/** The first and last block holding rows [first, last]. */
function blockSpan(first: number, last: number): [number, number] {
  return [Math.floor(first / BLOCK), Math.floor(Math.max(first, last) / BLOCK)];
}

/** Whether every block holding rows [first, last] of `query` has been fetched already. */
export function windowLoaded(client: QueryClient, query: AccountQuery, first: number, last: number): boolean {
  const [from, to] = blockSpan(first, last);
  for (let b = from; b <= to; b++) {
    if (client.getQueryData(accountKeys.block(query, b)) === undefined) return false;
  }
  return true;
}

/** The rows in [first, last] of the filtered, sorted list, plus its counts. `direction`: where
 *  the list is being scrolled (1 down, -1 up, 0 nowhere to prepare for); the blocks that come
 *  next there are fetched too, after those on screen. */
export function useAccountWindow(query: AccountQuery, first: number, last: number, direction: Direction) {
  // Beyond the end, known from an earlier answer, there is nothing to fetch ahead. (Under a new
  // filter the end is the old one's until its first answer: a block ahead more or less.)
  const [lastCounts, setLastCounts] = useState<{ matched: number; total: number } | null>(null);
  const end = lastCounts === null ? Infinity : Math.ceil(lastCounts.matched / BLOCK);
  const blocks = useMemo(() => {
    const out: { block: number; ahead: boolean }[] = [];
    const [from, to] = blockSpan(first, last);
    for (let b = from; b <= to; b++) out.push({ block: b, ahead: false });
    for (let n = 1; n <= AHEAD && direction !== 0; n++) {
      const b = direction > 0 ? to + n : from - n;
      if (b >= 0 && b < end) out.push({ block: b, ahead: true });
    }
    return out;
  }, [first, last, direction, end]);
  // Only what the table shows is taken from the queries: the blocks on screen, the counts, an
  // error. A block ahead arriving, or a query starting or ending a fetch, then changes nothing
  // here and does not render the table again (93 of its 489 renders in a 199-frame fling).
  const combine = useCallback(
    (results: UseQueryResult<AccountPage>[]) => {
      const found = results.find((r) => r.data)?.data;
      return {
        onScreen: results.map((r, i) => (r.data && !r.isPlaceholderData && blocks[i]?.ahead === false ? r.data : undefined)),
        counts: found ? { matched: Number(found.matched), total: Number(found.total) } : null,
        error: results.find((r) => r.error)?.error ?? null,
      };
    },
    [blocks],
  );
  const { onScreen, counts: answered, error } = useQueries({
    queries: blocks.map(({ block, ahead }) => ({
      queryKey: accountKeys.block(query, block),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchBlock(query, block, ahead, signal),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    })),
    combine,
  });
  const pages = new Map<number, AccountPage>();
  onScreen.forEach((page, i) => {
    const b = blocks[i];
    if (page && b !== undefined) pages.set(b.block, page);
  });
  // A jump far down (the scrollbar dragged, a fast fling) asks for blocks nothing has loaded
  // yet: keep the last counts meanwhile, or the table would shrink to nothing and snap back
  // to the top. Stored during render (React's pattern for keeping a value from an earlier render).
  if (answered !== null && (lastCounts?.matched !== answered.matched || lastCounts.total !== answered.total)) {
    setLastCounts(answered);
  }
  const counts = answered ?? lastCounts;
  const rowAt = (index: number): AccountRow | undefined =>
    pages.get(Math.floor(index / BLOCK))?.rows[index % BLOCK];
  return {
    rowAt,
    matched: counts ? counts.matched : null,
    total: counts ? counts.total : null,
    error,
  };
}

export function useAccountDetail(key: AccountKey | null) {
  return useQuery({
    queryKey: key ? accountKeys.detail(key) : ["accounts", "detail", "none"],
    queryFn: () => (key ? unwrap(commands.accountDetail(key)) : Promise.resolve(null)),
    enabled: key !== null,
  });
}

export function useDashboard() {
  return useQuery({ queryKey: accountKeys.dashboard, queryFn: () => unwrap(commands.dashboardGet()) });
}

/** Per-panel sync progress from the backend's events; refreshes the table as panels finish. */
export function useSyncProgress() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<Record<string, SyncEvent>>({});
  useEffect(() => {
    const unlisten = events.syncProgress.listen((e) => {
      const ev = e.payload;
      setProgress((p) => ({ ...p, [ev.panelId]: ev }));
      // A finished sync announces its snapshot (`snapshotChanged`); a failed one writes no
      // snapshot, only the panel's health.
      if (ev.type === "failed") void client.invalidateQueries({ queryKey: accountKeys.health });
    });
    return () => {
      void unlisten.then((f) => f());
    };
  }, [client]);
  return progress;
}

export async function startSync(panelId: string | null) {
  return unwrap(commands.accountsSync(panelId));
}

/** Keys of the query's window only (`offset`, `limit`): a shift-click range. */
export async function keyRange(query: AccountQuery) {
  return unwrap(commands.accountsKeyRange(query));
}

/** Keys of every account matching the query (for "select all that match"). */
export async function matchingKeys(query: AccountQuery) {
  return unwrap(commands.accountsKeys(query));
}

/** What to refetch when the snapshot changed: the rows and the dashboard always; the detail
 *  and links of the accounts named, or of every account after a panel's sync. */
export function invalidateChanged(client: QueryClient, change: SnapshotChange) {
  void client.invalidateQueries({ queryKey: ["accounts", "block"] });
  void client.invalidateQueries({ queryKey: accountKeys.dashboard });
  void client.invalidateQueries({ queryKey: accountKeys.health });
  if (change.type === "accounts") {
    for (const key of change.keys) {
      void client.invalidateQueries({ queryKey: accountKeys.detail(key) });
      void client.invalidateQueries({ queryKey: transferKeys.links(key) });
    }
  } else {
    void client.invalidateQueries({ queryKey: ["accounts", "detail"] });
    void client.invalidateQueries({ queryKey: transferKeys.allLinks });
  }
}

/** Every view of an account follows the backend's `snapshotChanged` events, whoever wrote it:
 *  after "New password" the proxy strings show the new one at once, not after a timer. */
export function useSnapshotChangedListener() {
  const client = useQueryClient();
  useEffect(() => {
    const unlisten = events.snapshotChanged.listen((e) => invalidateChanged(client, e.payload));
    return () => {
      void unlisten.then((f) => f());
    };
  }, [client]);
}
