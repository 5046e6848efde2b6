import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import { commands, events } from "../bindings";
import { unwrap } from "./client";
import type {
  BulkProgress,
  BulkRequest,
  Counts,
  ExportFormat,
  IfChanged,
  OpId,
  RunMode,
} from "./types";

export const bulkKeys = {
  all: ["bulk"] as const,
  history: ["bulk", "history"] as const,
  items: (opId: OpId) => ["bulk", "items", opId] as const,
  status: (opId: OpId) => ["bulk", "status", opId] as const,
  plan: (opId: OpId) => ["bulk", "plan", opId] as const,
};

/** Builds the preview; nothing is sent to a panel. */
/** Plans a bulk request; its progress events carry `jobId`, and `cancelJob(jobId)` stops it. */
export const planBulk = (request: BulkRequest, jobId: string) => unwrap(commands.bulkPlan(request, jobId));
/** Runs (or resumes, or retries) to the end; progress comes as `bulkProgressed` events. */
/** The plan that puts back what a finished operation changed (journaled; run it with `runBulk`). */
export const revertPlan = (opId: OpId) => unwrap(commands.bulkRevertPlan(opId));
export const runBulk = (opId: OpId, mode: RunMode, ifChanged: IfChanged | null = null) =>
  unwrap(commands.bulkRun(opId, mode, ifChanged));
/** Asks a running operation to stop; false when it is not running. */
export const cancelBulk = (opId: OpId) => commands.bulkCancel(opId);
/** Forgets a plan that was never run. */
export const discardBulk = (opId: OpId) => unwrap(commands.bulkDiscard(opId));
export const exportJournal = (opId: OpId, format: ExportFormat, path: string) =>
  unwrap(commands.bulkExportHistory(opId, format, path));
/** The OS save dialog, starting at `current`; null when the user closes it. */
export const pickSavePath = (current: string) => unwrap(commands.pickPath("save", current || null));
export const defaultPath = (name: string) => commands.defaultPath(name);

/** "Browse…" beside a path field: the OS save dialog from `current`; the picked path goes to
 *  `pick` (nothing when the dialog is closed). */
export function useBrowseSavePath(current: string, pick: (path: string) => void) {
  return useMutation({
    mutationFn: () => pickSavePath(current),
    onSuccess: (picked) => {
      if (picked !== null) pick(picked);
    },
  });
}

export function useBulkHistory() {
  return useQuery({ queryKey: bulkKeys.history, queryFn: () => unwrap(commands.bulkHistory()) });
}

export function useBulkItems(opId: OpId | null) {
  return useQuery({
    queryKey: opId ? bulkKeys.items(opId) : ["bulk", "items", "none"],
    queryFn: () => (opId ? unwrap(commands.bulkItems(opId)) : Promise.resolve([])),
    enabled: opId !== null,
  });
}

/** The stored plan of an operation and its journal's current report (for resume / retry). */
export function useStoredOperation(opId: OpId) {
  const plan = useQuery({
    queryKey: bulkKeys.plan(opId),
    queryFn: () => unwrap(commands.bulkPlanGet(opId)),
    staleTime: Infinity,
  });
  // Read once when the dialog opens: later counts come from the run's events.
  const status = useQuery({
    queryKey: bulkKeys.status(opId),
    queryFn: () => unwrap(commands.bulkStatus(opId)),
    staleTime: 0,
    gcTime: 0,
  });
  return { plan, status };
}

/** Refetches what a run changes: the history and the journals (not stored plans or reports). */
export function invalidateJournal(client: QueryClient) {
  void client.invalidateQueries({ queryKey: bulkKeys.history });
  void client.invalidateQueries({ queryKey: ["bulk", "items"] });
}

/**
 * Refetches the operations history and journals while runs report progress. Events can come
 * hundreds a second, so refetches are spaced at least `everyMs` apart.
 */
export function useBulkRefetchOnProgress(everyMs = 500) {
  const client = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unlisten = events.bulkProgressed.listen(() => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        invalidateJournal(client);
      }, everyMs);
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      void unlisten.then((f) => f());
    };
  }, [client, everyMs]);
}

/**
 * Live per-panel counts of one operation, from its `bulkProgressed` events (by panel id), and
 * a function that forgets them (when a new run starts). Events are applied at most every
 * `everyMs`, so a run of ten thousand items does not re-render ten thousand times.
 */
export function useBulkProgress(opId: OpId, everyMs = 50): [Record<string, BulkProgress>, () => void] {
  const [state, setState] = useState<{ opId: OpId; panels: Record<string, BulkProgress> }>({ opId, panels: {} });
  const pending = useRef<Record<string, BulkProgress>>({});
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = pending.current;
      pending.current = {};
      setState((s) => ({ opId, panels: { ...(s.opId === opId ? s.panels : {}), ...batch } }));
    };
    const unlisten = events.bulkProgressed.listen((e) => {
      const p = e.payload;
      if (p.opId !== opId) return;
      pending.current[p.panelId] = p;
      timer ??= setTimeout(flush, everyMs);
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      pending.current = {};
      void unlisten.then((f) => f());
    };
  }, [opId, everyMs]);
  const reset = useCallback(() => {
    pending.current = {};
    setState({ opId, panels: {} });
  }, [opId]);
  return [state.opId === opId ? state.panels : NO_PROGRESS, reset];
}

const NO_PROGRESS: Record<string, BulkProgress> = {};

export const emptyCounts = (): Counts => ({ total: 0, done: 0, failed: 0, skipped: 0, left: 0 });

export function sumCounts(all: Counts[]): Counts {
  return all.reduce(
    (a, c) => ({
      total: a.total + c.total,
      done: a.done + c.done,
      failed: a.failed + c.failed,
      skipped: a.skipped + c.skipped,
      left: a.left + c.left,
    }),
    emptyCounts(),
  );
}
