import { useEffect, useState } from "react";

import { commands, events } from "../bindings";
import type { JobStep } from "./types";

/** A fresh id for a long job (export, link files): its progress events carry it. */
export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The latest step of job `jobId` from the backend's events; `null` before the first. */
export function useJobStep(jobId: string | null): JobStep | null {
  const [step, setStep] = useState<{ jobId: string; step: JobStep } | null>(null);
  useEffect(() => {
    if (jobId === null) return;
    const unlisten = events.jobProgressed.listen((e) => {
      if (e.payload.jobId === jobId) setStep({ jobId, step: e.payload.step });
    });
    return () => {
      void unlisten.then((f) => f());
    };
  }, [jobId]);
  return step && step.jobId === jobId ? step.step : null;
}

/** Asks job `jobId` to stop; false when it is no longer running. */
export const cancelJob = (jobId: string) => commands.jobCancel(jobId);

/** Asks the running sync to stop; false when none runs. */
export const cancelSync = () => commands.accountsSyncCancel();
