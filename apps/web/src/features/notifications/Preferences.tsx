import { useState } from 'react';
import { Async, ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { type EmailMode, type Preferences, PreferencesQuery, SetPreferences } from './api';

const MODES: EmailMode[] = ['NONE', 'IMMEDIATE', 'DAILY_DIGEST'];

/** E-mail is opt in: none, as notifications arrive, or a daily digest; quiet hours at night. */
export function PreferencesPage() {
  const { t } = useI18n();
  const current = useQuery(PreferencesQuery, {});
  return (
    <section className="card" aria-labelledby="prefs-title">
      <h1 id="prefs-title">{t('prefs.title')}</h1>
      <p className="muted">{t('prefs.intro')}</p>
      <Async state={current}>
        {({ notificationPreferences }) => <PreferencesForm saved={notificationPreferences} />}
      </Async>
    </section>
  );
}

function PreferencesForm({ saved }: { saved: Preferences }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(saved);
  const [done, setDone] = useState(false);
  const save = useMutation(SetPreferences);
  return (
    <form
      className="stack preferences-form"
      onSubmit={(event) => {
        event.preventDefault();
        setDone(false);
        void save.run({ input: draft }).then((result) => result && setDone(true));
      }}
    >
      <fieldset>
        <legend>{t('prefs.mode')}</legend>
        {MODES.map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name="emailMode"
              value={mode}
              checked={draft.emailMode === mode}
              onChange={() => setDraft({ ...draft, emailMode: mode })}
            />{' '}
            {t(`prefs.mode.${mode}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('prefs.digestHour')}{' '}
        <select
          name="digestHour"
          value={draft.digestHour}
          disabled={draft.emailMode !== 'DAILY_DIGEST'}
          onChange={(event) => setDraft({ ...draft, digestHour: Number(event.target.value) })}
        >
          {Array.from({ length: 24 }, (_, hour) => (
            <option key={hour} value={hour}>
              {`${String(hour).padStart(2, '0')}:00`}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          name="quietHours"
          checked={draft.quietHours}
          onChange={(event) => setDraft({ ...draft, quietHours: event.target.checked })}
        />{' '}
        {t('prefs.quietHours')}
      </label>
      <ErrorMessage error={save.error} />
      <div className="controls">
        <button type="submit" disabled={save.pending}>
          {t('app.save')}
        </button>
        {done && <span role="status">{t('prefs.saved')}</span>}
      </div>
    </form>
  );
}
