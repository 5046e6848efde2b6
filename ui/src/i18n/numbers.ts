import type { FormatterModule } from "i18next";

import { formatNumber } from "../util/format";

/**
 * Every number a translation interpolates is written in the language's digits and grouping
 * ("۱٬۲۳۴" in Persian, "1 234" in Russian), whether or not its placeholder says `, number`:
 * i18next passes numbers through as they are unless told to format them, and a plain
 * `{{count}}` showed Latin digits to Persian readers.
 */

/** Placeholders that name something (a row, an id, a version) rather than count: digits, no grouping. */
const NO_GROUPING = new Set(["id", "ids", "line", "firstLine", "port", "version"]);

export const localeNumbers: FormatterModule = {
  type: "formatter",
  init() {},
  add() {},
  addCached() {},
  format(value, format, lng, options) {
    if (typeof value !== "number" || (format !== undefined && format !== "number")) return value as string;
    const key = typeof options?.interpolationkey === "string" ? options.interpolationkey : "";
    return formatNumber(value, lng, !NO_GROUPING.has(key));
  },
};
