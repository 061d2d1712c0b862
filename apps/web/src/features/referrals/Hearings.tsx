import { type FormEvent, useState } from 'react';
import { ErrorMessage, Async } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import {
  type Hearing,
  type HearingKind,
  HearingsQuery,
  type ReadinessItem,
  ScheduleHearing,
  UpdateReadinessItem,
} from './operations';

const ITEMS: ReadinessItem[] = [
  'SUPPORT_WORKER',
  'INTERPRETER',
  'LEGAL_AID_LAWYER',
  'TESTIMONY_PROTECTION',
  'TRANSPORT',
  'PUBLICATION_DATA_REQUEST',
];
const KINDS: HearingKind[] = ['VICTIM_HEARING', 'TRIAL', 'PRONOUNCEMENT'];

/** Hearings of the task force's cases and their readiness checklists; owners tick their own items. */
export function Hearings({ codes, caseId }: { codes: Map<string, string>; caseId: string }) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const hearings = useQuery(HearingsQuery, { taskForceId: taskForce.id }, (e) => e.type.startsWith('hearing.'));
  return (
    <div className="card" data-testid="hearings">
      <h2>{t('hearing.title')}</h2>
      <Async state={hearings}>
        {({ hearings: list }) =>
          list.length === 0 ? (
            <p className="muted">{t('app.none')}</p>
          ) : (
            list.map((h) => (
              <HearingCard key={h.id} hearing={h} code={codes.get(h.caseSummaryId) ?? '—'} onDone={hearings.reload} />
            ))
          )
        }
      </Async>
      {caseId && <ScheduleForm caseId={caseId} onDone={hearings.reload} />}
    </div>
  );
}

function ScheduleForm({ caseId, onDone }: { caseId: string; onDone(): void }) {
  const { t } = useI18n();
  const { taskForce, me } = useTaskForce();
  const schedule = useMutation(ScheduleHearing);
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency.name]))].sort((a, b) =>
    a[1].localeCompare(b[1], 'ro'),
  );
  const [court, setCourt] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [kind, setKind] = useState<HearingKind>('VICTIM_HEARING');
  const [owners, setOwners] = useState<Record<ReadinessItem, string>>(
    () => Object.fromEntries(ITEMS.map((i) => [i, me.agency.id])) as Record<ReadinessItem, string>,
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await schedule.run({
      input: {
        caseSummaryId: caseId,
        court,
        startsAt: new Date(startsAt).toISOString(),
        kind,
        owners: ITEMS.map((item) => ({ item, agencyId: owners[item] })),
      },
    });
    if (done) {
      // Emptied, so a second press does not schedule the same hearing twice.
      setCourt('');
      setStartsAt('');
      onDone();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="hearing-form">
      <h3>{t('hearing.schedule')}</h3>
      <label className="field">
        <span>{t('hearing.court')}</span>
        <input name="court" value={court} maxLength={200} onChange={(e) => setCourt(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('hearing.startsAt')}</span>
        <input name="startsAt" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('hearing.kind')}</span>
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as HearingKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`hearing.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {ITEMS.map((item) => (
        <label key={item} className="field">
          <span>{t('hearing.owner', { item: t(`hearing.item.${item}`) })}</span>
          <select
            name={`owner-${item}`}
            value={owners[item]}
            onChange={(e) => setOwners({ ...owners, [item]: e.target.value })}
          >
            {agencies.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ))}
      <button type="submit" disabled={schedule.pending || !court.trim() || !startsAt}>
        {t('hearing.schedule')}
      </button>
      {schedule.error && (
        <p className="field-error" role="alert">
          {schedule.error.message}
        </p>
      )}
    </form>
  );
}

function HearingCard({ hearing, code, onDone }: { hearing: Hearing; code: string; onDone(): void }) {
  const { t, dateTime } = useI18n();
  const { me, isCoordinator, taskForce } = useTaskForce();
  const update = useMutation(UpdateReadinessItem);
  const names = new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency.name]));
  const [language, setLanguage] = useState('');
  const done = async (item: ReadinessItem) => {
    if (
      await update.run({
        input: { hearingId: hearing.id, item, state: 'DONE', language: item === 'INTERPRETER' ? language : undefined },
      })
    )
      onDone();
  };
  return (
    <article data-testid="hearing" data-ready={hearing.ready}>
      <h3>
        {code} · {t(`hearing.kind.${hearing.kind}`)} · {hearing.court} · {dateTime(hearing.startsAt)}
      </h3>
      <p>{hearing.ready ? t('hearing.ready') : t('hearing.notReady')}</p>
      <ul>
        {[...hearing.checklist]
          .sort((a, b) => ITEMS.indexOf(a.item) - ITEMS.indexOf(b.item))
          .map((c) => (
            <li key={c.item} data-testid="readiness-item" data-item={c.item} data-state={c.state}>
              {t(`hearing.item.${c.item}`)} — {names.get(c.ownerAgencyId) ?? '—'} — {t(`hearing.state.${c.state}`)}
              {c.language ? ` (${c.language})` : ''}
              {c.state === 'OPEN' && (c.ownerAgencyId === me.agency.id || isCoordinator) && (
                <>
                  {c.item === 'INTERPRETER' && (
                    <input
                      aria-label={t('hearing.language')}
                      name="interpreterLanguage"
                      value={language}
                      maxLength={60}
                      onChange={(e) => setLanguage(e.target.value)}
                    />
                  )}
                  <button type="button" className="button-secondary" onClick={() => void done(c.item)}>
                    {t('hearing.markDone')}
                  </button>
                </>
              )}
            </li>
          ))}
      </ul>
      <ErrorMessage error={update.error} />
    </article>
  );
}
