import type { ApiError, ErrorCode } from "./types";

/** A command failure as thrown into TanStack Query: keeps the typed `{code, message, ...}`. */
export class ApiFailure extends Error {
  readonly api: ApiError;
  constructor(api: ApiError) {
    super(api.message);
    this.name = "ApiFailure";
    this.api = api;
  }
  get code(): ErrorCode {
    return this.api.code;
  }
}

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: ApiError };

/** Turns a generated command's `Result` into a value or a thrown `ApiFailure`. */
export async function unwrap<T>(result: Promise<CommandResult<T>>): Promise<T> {
  const r = await result;
  if (r.status === "error") throw new ApiFailure(r.error);
  return r.data;
}

/** The ApiError inside anything a query or mutation threw, or an `internal` one. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.api;
  const message = err instanceof Error ? err.message : String(err);
  return { code: "internal", message, fields: [], fingerprint: null, changes: [] };
}
