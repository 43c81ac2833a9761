import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { ru } from './ru';

export type Lang = 'en' | 'ru';
export const LANGUAGES: readonly { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
];
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, ru };
const STORAGE_KEY = 'visitpay.lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  /** BCP 47 locale for Intl formatting */
  locale: string;
  setLang: (lang: Lang) => void;
  t: Translate;
}

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = dictionaries[lang];
    const t: Translate = (key, vars) => {
      const text = dictionary[key] ?? en[key] ?? key;
      return vars
        ? text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match))
        : text;
    };
    return { lang, locale: lang === 'ru' ? 'ru-RU' : 'en-GB', setLang, t };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Whether the dictionary has a message under this key (for keys built from an API's answer). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** A message key whose last part comes from data (a status, a method) — typed against the dictionary. */
export function dynamicKey(prefix: string, value: string): MessageKey {
  const key = `${prefix}.${value}`;
  return (key in en ? key : `${prefix}.unknown`) as MessageKey;
}
