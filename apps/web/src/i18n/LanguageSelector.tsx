import { type Locale, useI18n } from '.';

/** Each language in its own name, so a reader of either finds theirs. */
const LANGUAGES: readonly { locale: Locale; name: string }[] = [
  { locale: 'ro', name: 'Română' },
  { locale: 'en', name: 'English' },
];

/** The one place the language is switched (top bar and sign-in page); the choice is remembered. */
export function LanguageSelector() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t('app.language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} data-testid="language">
        {LANGUAGES.map((language) => (
          <option key={language.locale} value={language.locale}>
            {language.name}
          </option>
        ))}
      </select>
    </label>
  );
}
