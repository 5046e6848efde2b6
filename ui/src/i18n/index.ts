import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { localeNumbers } from "./numbers";
import { resources } from "./resources";

export const LANGUAGES = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "ru", name: "Русский", dir: "ltr" },
  { code: "fa", name: "فارسی", dir: "rtl" },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "paneldeck.language";

function savedLanguage(): LanguageCode {
  const saved = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.find((l) => l.code === saved)?.code ?? "en";
}

/** Sets `lang` and `dir` on <html> so the whole layout mirrors for right-to-left languages. */
function applyDocumentLanguage(code: string) {
  const lang = LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
  document.documentElement.lang = lang.code;
  document.documentElement.dir = lang.dir;
}

void i18n
  .use(localeNumbers)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: resources.en },
      ru: { translation: resources.ru },
      fa: { translation: resources.fa },
    },
    lng: savedLanguage(),
    fallbackLng: "en",
    // Every interpolated value goes through the formatter, so plain numbers get the language's digits.
    interpolation: { escapeValue: false, alwaysFormat: true },
  });
applyDocumentLanguage(i18n.language);

export function setLanguage(code: LanguageCode) {
  localStorage.setItem(STORAGE_KEY, code);
  void i18n.changeLanguage(code);
  applyDocumentLanguage(code);
}

export default i18n;
