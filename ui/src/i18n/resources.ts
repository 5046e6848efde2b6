import en from "./locales/en.json";
import enBulk from "./locales/en.bulk.json";
import enTransfer from "./locales/en.transfer.json";
import enWindow from "./locales/en.window.json";
import fa from "./locales/fa.json";
import faBulk from "./locales/fa.bulk.json";
import faTransfer from "./locales/fa.transfer.json";
import faWindow from "./locales/fa.window.json";
import ru from "./locales/ru.json";
import ruBulk from "./locales/ru.bulk.json";
import ruTransfer from "./locales/ru.transfer.json";
import ruWindow from "./locales/ru.window.json";

/**
 * Each language's messages: the app's, then one file per area (bulk operations; links,
 * import and export; the window's menus, palette and table settings), each area under its own top-level keys.
 */
export const resources = {
  en: { ...en, ...enBulk, ...enTransfer, ...enWindow },
  ru: { ...ru, ...ruBulk, ...ruTransfer, ...ruWindow },
  fa: { ...fa, ...faBulk, ...faTransfer, ...faWindow },
};
