import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/graphql';
import { session } from '../../api/session';
import { errorText } from '../../app/components';
import { useI18n } from '../../i18n';
import { LanguageSelector } from '../../i18n/LanguageSelector';

export function SignIn() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await session.signIn(email.trim(), password);
    } catch (caught) {
      // A refused login is UNAUTHENTICATED with no field: the credentials, never which one was wrong.
      setError(
        caught instanceof ApiError
          ? caught.code === 'UNAUTHENTICATED'
            ? t('auth.badCredentials')
            : errorText(caught, t)
          : t('error.INTERNAL_SERVER_ERROR'),
      );
      setPending(false);
    }
  };

  return (
    <main id="main" className="signin">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title">
        <div className="signin-head">
          <h1 id="signin-title">{t('app.name')}</h1>
          <LanguageSelector />
        </div>
        <p className="muted">{t('auth.intro')}</p>
        <h2>{t('auth.title')}</h2>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="sign-in-error">
            {t('auth.failed', { message: error })}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? t('auth.submitting') : t('auth.submit')}
        </button>
      </form>
    </main>
  );
}
