import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Dictionary, en, type MessageKey, ro } from './messages';

export type Locale = 'ro' | 'en';
const DICTIONARIES: Record<Locale, Dictionary> = { ro, en };
const KEY = 'tfh.locale';
export const TIME_ZONE = 'Europe/Bucharest';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
  /** An instant (ISO 8601) as a date and time in Bucharest. */
  dateTime(iso: string): string;
  /** A calendar date (YYYY-MM-DD) as it is, without time-zone shifts. */
  date(day: string): string;
}

const Context = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const stored = localStorage.getItem(KEY);
  return stored === 'en' || stored === 'ro' ? stored : 'ro'; // Romanian by default
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[locale];
    const tag = locale === 'ro' ? 'ro-RO' : 'en-GB';
    const dateTimeFormat = new Intl.DateTimeFormat(tag, {
      timeZone: TIME_ZONE,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const dateFormat = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', dateStyle: 'medium' });
    return {
      locale,
      setLocale,
      t: (key, values) =>
        dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
          values && name in values ? String(values[name]) : whole,
        ),
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      date: (day) => dateFormat.format(new Date(`${day}T00:00:00Z`)),
    };
  }, [locale, setLocale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
