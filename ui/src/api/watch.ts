import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../bindings";
import type { AlertSettings_Serialize, HistoryRange, HistoryScope, ReportBy, ReportFile } from "../bindings";
import { accountKeys } from "./accounts";
import { unwrap } from "./client";

/** Usage history and alert settings. History keys sit under the dashboard's, so a snapshot
 *  change (a sync wrote new points) refetches them with it. */
export const watchKeys = {
  overview: (range: HistoryRange) => [...accountKeys.dashboard, "usage", range] as const,
  series: (scope: HistoryScope, range: HistoryRange) => [...accountKeys.dashboard, "series", scope, range] as const,
  report: (by: ReportBy, days: number) => [...accountKeys.dashboard, "report", by, days] as const,
  alerts: ["alerts", "settings"] as const,
  telegram: ["alerts", "telegram"] as const,
};

export function useUsageOverview(range: HistoryRange) {
  return useQuery({ queryKey: watchKeys.overview(range), queryFn: () => unwrap(commands.usageOverview(range)) });
}

export function useUsageSeries(scope: HistoryScope, range: HistoryRange) {
  return useQuery({ queryKey: watchKeys.series(scope, range), queryFn: () => unwrap(commands.usageSeries(scope, range)) });
}

export function useAlertSettings() {
  return useQuery({ queryKey: watchKeys.alerts, queryFn: () => unwrap(commands.alertSettingsGet()) });
}

export function useSaveAlertSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: AlertSettings_Serialize) => unwrap(commands.alertSettingsSet(settings)),
    onSuccess: () => client.invalidateQueries({ queryKey: watchKeys.alerts }),
  });
}

export function useTelegramTokenPresent() {
  return useQuery({ queryKey: watchKeys.telegram, queryFn: () => unwrap(commands.alertTelegramTokenPresent()) });
}

export function useSetTelegramToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(commands.alertTelegramTokenSet(token)),
    onSuccess: () => client.invalidateQueries({ queryKey: watchKeys.telegram }),
  });
}

/** The previous report stays on screen while another grouping or period loads (and the save
 *  form below it keeps what was typed). */
export function useUsageReport(by: ReportBy, days: number) {
  return useQuery({ queryKey: watchKeys.report(by, days), queryFn: () => unwrap(commands.usageReport(by, days)), placeholderData: keepPreviousData });
}

/** Writes a report (CSV, or a printable page made by the UI) to `path`; resolves to the path. */
export const saveUsageReport = (file: ReportFile, path: string) => unwrap(commands.usageReportSave(file, path));
