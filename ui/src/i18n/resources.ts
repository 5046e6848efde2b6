import en from "./locales/en.json";
import enBulk from "./locales/en.bulk.json";
import enJobs from "./locales/en.jobs.json";
import enSettings from "./locales/en.settings.json";
import enTransfer from "./locales/en.transfer.json";
import enWatch from "./locales/en.watch.json";
import enWindow from "./locales/en.window.json";
import fa from "./locales/fa.json";
import faBulk from "./locales/fa.bulk.json";
import faJobs from "./locales/fa.jobs.json";
import faSettings from "./locales/fa.settings.json";
import faTransfer from "./locales/fa.transfer.json";
import faWatch from "./locales/fa.watch.json";
import faWindow from "./locales/fa.window.json";
import ru from "./locales/ru.json";
import ruBulk from "./locales/ru.bulk.json";
import ruJobs from "./locales/ru.jobs.json";
import ruSettings from "./locales/ru.settings.json";
import ruTransfer from "./locales/ru.transfer.json";
import ruWatch from "./locales/ru.watch.json";
import ruWindow from "./locales/ru.window.json";

/**
 * Each language's messages: the app's, then one file per area (bulk operations; links,
 * import and export; history and alerts; the Settings page; the window's menus, palette and
 * table settings), each area under its own top-level keys.
 */
export const resources = {
  en: { ...en, ...enBulk, ...enTransfer, ...enWatch, ...enSettings, ...enWindow, ...enJobs },
  ru: { ...ru, ...ruBulk, ...ruTransfer, ...ruWatch, ...ruSettings, ...ruWindow, ...ruJobs },
  fa: { ...fa, ...faBulk, ...faTransfer, ...faWatch, ...faSettings, ...faWindow, ...faJobs },
};
