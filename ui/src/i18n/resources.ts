import en from "./locales/en.json";
import enBulk from "./locales/en.bulk.json";
import enSettings from "./locales/en.settings.json";
import enTransfer from "./locales/en.transfer.json";
import fa from "./locales/fa.json";
import faBulk from "./locales/fa.bulk.json";
import faSettings from "./locales/fa.settings.json";
import faTransfer from "./locales/fa.transfer.json";
import ru from "./locales/ru.json";
import ruBulk from "./locales/ru.bulk.json";
import ruSettings from "./locales/ru.settings.json";
import ruTransfer from "./locales/ru.transfer.json";

/**
 * Each language's messages: the app's, then one file per area (bulk operations; links,
 * import and export; the Settings page), each area under its own top-level keys.
 */
export const resources = {
  en: { ...en, ...enBulk, ...enTransfer, ...enSettings },
  ru: { ...ru, ...ruBulk, ...ruTransfer, ...ruSettings },
  fa: { ...fa, ...faBulk, ...faTransfer, ...faSettings },
};
