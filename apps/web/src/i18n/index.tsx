import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { createIntl, createIntlCache, type IntlShape, RawIntlProvider } from 'react-intl';
import { type Dictionary, en, type MessageKey, ro } from './messages';

export type Locale = 'ro' | 'en';
const DICTIONARIES: Record<Locale, Dictionary> = { ro, en };
const KEY = 'tfh.locale';
export const TIME_ZONE = 'Europe/Bucharest';
/** The language tags the formatters use: Romanian as written in Romania, English with day-month dates. */
export const LANGUAGE_TAG: Record<Locale, string> = { ro: 'ro-RO', en: 'en-GB' };

export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** A message by key, as an ICU message (plurals: Romanian has one, few and other). */
  t: Translate;
  /** An instant (ISO 8601) as a date and time in Bucharest. */
  dateTime(iso: string): string;
  /** A calendar date (YYYY-MM-DD) as it is, without time-zone shifts. */
  date(day: string): string;
  /** react-intl itself, for what `t` does not cover (lists, numbers). */
  intl: IntlShape;
}

const Context = createContext<I18n | null>(null);
const cache = createIntlCache();

function initialLocale(): Locale {
  const stored = localStorage.getItem(KEY);
  return stored === 'en' || stored === 'ro' ? stored : 'ro'; // Romanian by default
}

/** One react-intl instance per language; `t` keeps the call the screens have always used. */
export function makeI18n(locale: Locale): Omit<I18n, 'setLocale'> {
  const intl = createIntl(
    {
      locale: LANGUAGE_TAG[locale],
      defaultLocale: 'ro-RO',
      timeZone: TIME_ZONE,
      messages: DICTIONARIES[locale],
      // A missing key is a type error (Dictionary) and every message is parsed by messages.spec.ts,
      // so nothing is left to report at run time.
      onError: () => undefined,
    },
    cache,
  );
  const dateTimeFormat = new Intl.DateTimeFormat(LANGUAGE_TAG[locale], {
    timeZone: TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const dateFormat = new Intl.DateTimeFormat(LANGUAGE_TAG[locale], { timeZone: 'UTC', dateStyle: 'medium' });
  return {
    locale,
    intl,
    t: (key, values) => intl.formatMessage({ id: key }, values),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    date: (day) => dateFormat.format(new Date(`${day}T00:00:00Z`)),
  };
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
  const value = useMemo<I18n>(() => ({ ...makeI18n(locale), setLocale }), [locale, setLocale]);
  return (
    <Context.Provider value={value}>
      <RawIntlProvider value={value.intl}>{children}</RawIntlProvider>
    </Context.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
