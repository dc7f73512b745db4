import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import km from './locales/km.json' with { type: 'json' };
import vi from './locales/vi.json' with { type: 'json' };

export const LANGUAGES = ['vi', 'km', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Translator bound to one language, with the unit's name and hotline always available to strings. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface I18n {
  t(language: Language, key: string, vars?: Record<string, unknown>): string;
  forLanguage(language: Language): Translate;
}

/** Creates an isolated i18next instance with the bundled locales (vi is the fallback). */
export function createI18n(defaults: Record<string, unknown> = {}): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { vi: { translation: vi }, en: { translation: en }, km: { translation: km } },
    lng: 'vi',
    fallbackLng: 'vi',
    initAsync: false,
    interpolation: { escapeValue: false, defaultVariables: defaults },
    returnNull: false,
  });
  const fixed: Record<Language, TFunction> = {
    vi: instance.getFixedT('vi'),
    en: instance.getFixedT('en'),
    km: instance.getFixedT('km'),
  };
  // Strings without per-call variables never change (the defaults are fixed here), and most labels and buttons are
  // such strings: they are translated once per language.
  const plain = new Map<string, string>();
  const t = (language: Language, key: string, vars?: Record<string, unknown>) => {
    if (vars === undefined) {
      const cacheKey = `${language}\u0000${key}`;
      let text = plain.get(cacheKey);
      if (text === undefined) {
        text = String(fixed[language](key, defaults));
        plain.set(cacheKey, text);
      }
      return text;
    }
    return String(fixed[language](key, { ...defaults, ...vars }));
  };
  return { t, forLanguage: (language) => (key, vars) => t(language, key, vars) };
}

/** True when `v` names a supported language. */
export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}
