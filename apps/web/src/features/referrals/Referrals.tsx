import { type FormEvent, useMemo, useState } from 'react';
import { CaseSummariesQuery } from '../../api/operations';
import type { CaseSection } from '../../api/types';
import { Async, ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { type QueryState, useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { Hearings } from './Hearings';
import {
  ChangeReferralStatus,
  type Consent,
  ConsentsQuery,
  POINTS,
  PURPOSES,
  RecordConsent,
  type ConsentPoint,
  type Referral,
  type ReferralPurpose,
  ReferralsQuery,
  type ReferralStatus,
  RequestReferral,
  WithdrawConsent,
} from './operations';

const SECTIONS: CaseSection[] = ['OVERVIEW', 'INVESTIGATION', 'PROSECUTION', 'VICTIM_SUPPORT'];
const onReferral = (e: { type: string }) => e.type.startsWith('referral.');

/** Referrals between the agencies of the task force, the consents they rest on, and each hearing's readiness. */
export function ReferralsPage() {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const cases = useQuery(CaseSummariesQuery, { taskForceId: taskForce.id }, (e) => e.type.startsWith('caseSummary.'));
  const [caseId, setCaseId] = useState('');
  return (
    <section data-testid="referrals">
      <h1>{t('referral.title')}</h1>
      <Async state={cases}>
        {({ caseSummaries }) => (
          <>
            <label className="field">
              <span>{t('referral.case')}</span>
              <select value={caseId} onChange={(e) => setCaseId(e.target.value)} data-testid="referral-case">
                <option value="">—</option>
                {caseSummaries.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.caseCode}
                  </option>
                ))}
              </select>
            </label>
            {caseId && <CaseReferrals caseId={caseId} />}
            <ReferralList codes={new Map(caseSummaries.map((c) => [c.id, c.caseCode]))} />
            <Hearings codes={new Map(caseSummaries.map((c) => [c.id, c.caseCode]))} caseId={caseId} />
          </>
        )}
      </Async>
    </section>
  );
}

/** The agencies around the table other than one's own, by id. */
function useOtherAgencies() {
  const { taskForce, me } = useTaskForce();
  return useMemo(() => {
    const agencies = new Map<string, string>();
    for (const m of taskForce.members)
      if (m.member.agency.id !== me.agency.id) agencies.set(m.member.agency.id, m.member.agency.name);
    // By name, so the list reads the same each visit whatever order the members joined in.
    return [...agencies].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'ro'));
  }, [taskForce, me]);
}

function CaseReferrals({ caseId }: { caseId: string }) {
  const consents = useQuery(ConsentsQuery, { caseSummaryId: caseId }, onReferral);
  return (
    <div className="grid-2">
      <ConsentForm caseId={caseId} onDone={consents.reload} />
      <div>
        <ConsentList state={consents} />
        <ReferralForm caseId={caseId} />
      </div>
    </div>
  );
}

function Checks<T extends string>({
  name,
  values,
  chosen,
  label,
  onChange,
}: {
  name: string;
  values: readonly T[];
  chosen: T[];
  label: (value: T) => string;
  onChange(next: T[]): void;
}) {
  return (
    <>
      {values.map((value) => (
        <label key={value} className="check">
          <input
            type="checkbox"
            name={name}
            value={value}
            checked={chosen.includes(value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, value] : chosen.filter((v) => v !== value))}
          />{' '}
          {label(value)}
        </label>
      ))}
    </>
  );
}

function ConsentForm({ caseId, onDone }: { caseId: string; onDone(): void }) {
  const { t } = useI18n();
  const agencies = useOtherAgencies();
  const record = useMutation(RecordConsent);
  const [purposes, setPurposes] = useState<ReferralPurpose[]>([]);
  const [receivers, setReceivers] = useState<string[]>([]);
  const [sections, setSections] = useState<CaseSection[]>([]);
  const [points, setPoints] = useState<ConsentPoint[]>([]);
  const [readBack, setReadBack] = useState(false);
  const [interpreter, setInterpreter] = useState(false);
  const [language, setLanguage] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (given: boolean, event?: FormEvent) => {
    event?.preventDefault();
    setSaved(null);
    const done = await record.run({
      input: {
        caseSummaryId: caseId,
        given,
        purposes,
        receiverAgencyIds: receivers,
        sections,
        language,
        interpreterUsed: interpreter,
        explainedPoints: points,
        readBack,
      },
    });
    if (done) {
      setSaved(done.recordConsent.given ? t('consent.saved') : t('consent.refusedSaved'));
      onDone();
    }
  };
  return (
    <form className="card" onSubmit={(e) => void submit(true, e)} data-testid="consent-form">
      <h2>{t('consent.title')}</h2>
      <p className="muted">{t('consent.intro')}</p>
      <fieldset>
        <legend>{t('consent.purposes')}</legend>
        <Checks
          name="purpose"
          values={PURPOSES}
          chosen={purposes}
          label={(p) => t(`referral.purpose.${p}`)}
          onChange={setPurposes}
        />
      </fieldset>
      <fieldset>
        <legend>{t('consent.receivers')}</legend>
        <Checks
          name="receiver"
          values={agencies.map((a) => a.id)}
          chosen={receivers}
          label={(id) => agencies.find((a) => a.id === id)?.name ?? id}
          onChange={setReceivers}
        />
      </fieldset>
      <fieldset>
        <legend>{t('consent.sections')}</legend>
        <Checks
          name="section"
          values={SECTIONS}
          chosen={sections}
          label={(s) => t(`case.section.${s}`)}
          onChange={setSections}
        />
      </fieldset>
      <fieldset>
        <legend>{t('consent.points')}</legend>
        <Checks
          name="point"
          values={POINTS}
          chosen={points}
          label={(p) => t(`consent.point.${p}`)}
          onChange={setPoints}
        />
        <label className="check">
          <input type="checkbox" name="readBack" checked={readBack} onChange={(e) => setReadBack(e.target.checked)} />{' '}
          {t('consent.readBack')}
        </label>
      </fieldset>
      <label className="field">
        <span>{t('consent.language')}</span>
        <input name="language" value={language} maxLength={60} onChange={(e) => setLanguage(e.target.value)} />
      </label>
      <label className="check">
        <input
          type="checkbox"
          name="interpreter"
          checked={interpreter}
          onChange={(e) => setInterpreter(e.target.checked)}
        />{' '}
        {t('consent.interpreter')}
      </label>
      <div className="actions">
        <button type="submit" disabled={record.pending}>
          {t('consent.given')}
        </button>
        <button type="button" className="button-secondary" disabled={record.pending} onClick={() => void submit(false)}>
          {t('consent.refused')}
        </button>
      </div>
      {record.error && (
        <p className="field-error" role="alert">
          {record.error.message}
        </p>
      )}
      {saved && <p role="status">{saved}</p>}
    </form>
  );
}

function ConsentList({ state }: { state: QueryState<{ referralConsents: Consent[] }> }) {
  const { t, dateTime } = useI18n();
  const { taskForce } = useTaskForce();
  const withdraw = useMutation(WithdrawConsent);
  const names = new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency.name]));
  return (
    <div className="card" data-testid="consents">
      <h2>{t('consent.kept')}</h2>
      <Async state={state}>
        {({ referralConsents }) =>
          referralConsents.length === 0 ? (
            <p className="muted">{t('app.none')}</p>
          ) : (
            <ul>
              {referralConsents.map((c) => (
                <li key={c.id} data-testid="consent">
                  {c.purposes.map((p) => t(`referral.purpose.${p}`)).join(', ')} →{' '}
                  {c.receiverAgencyIds.map((id) => names.get(id) ?? '—').join(', ')} ·{' '}
                  {c.sections.map((s) => t(`case.section.${s}`)).join(', ')} · {dateTime(c.givenAt)}{' '}
                  {c.withdrawnAt ? (
                    <span className="badge">{t('consent.withdrawn')}</span>
                  ) : (
                    // Withdrawing also ends the referrals it covers: asked in place first.
                    <ConfirmButton
                      label={t('consent.withdraw')}
                      question={t('consent.withdrawQuestion')}
                      confirmLabel={t('consent.withdrawConfirm')}
                      className="button-secondary"
                      pending={withdraw.pending}
                      onConfirm={() => void withdraw.run({ consentId: c.id }).then(state.reload)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      <ErrorMessage error={withdraw.error} />
    </div>
  );
}

function ReferralForm({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const agencies = useOtherAgencies();
  const request = useMutation(RequestReferral);
  const [toAgencyId, setTo] = useState('');
  const [purpose, setPurpose] = useState<ReferralPurpose>('ASSISTANCE');
  const [sections, setSections] = useState<CaseSection[]>([]);
  const [urgent, setUrgent] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    if (await request.run({ input: { caseSummaryId: caseId, toAgencyId, purpose, sections, urgent } })) setSent(true);
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} data-testid="referral-form">
      <h2>{t('referral.request')}</h2>
      <label className="field">
        <span>{t('referral.to')}</span>
        <select name="toAgency" value={toAgencyId} onChange={(e) => setTo(e.target.value)}>
          <option value="">—</option>
          {agencies.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('referral.purpose')}</span>
        <select name="purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as ReferralPurpose)}>
          {PURPOSES.map((p) => (
            <option key={p} value={p}>
              {t(`referral.purpose.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('referral.sections')}</legend>
        <Checks
          name="referralSection"
          values={SECTIONS}
          chosen={sections}
          label={(s) => t(`case.section.${s}`)}
          onChange={setSections}
        />
      </fieldset>
      <label className="check">
        <input type="checkbox" name="urgent" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />{' '}
        {t('referral.urgent')}
      </label>
      <button type="submit" disabled={request.pending || !toAgencyId || !sections.length}>
        {t('referral.send')}
      </button>
      {request.error && (
        <p className="field-error" role="alert" data-code={request.error.code}>
          {request.error.code === 'CONSENT_REQUIRED' ? t('referral.consentRequired') : request.error.message}
        </p>
      )}
      {sent && <p role="status">{t('referral.sent')}</p>}
    </form>
  );
}

/** What the actor's side may do next, as the server's workflow allows. */
const NEXT: Record<ReferralStatus, { to: ReferralStatus; side: 'receiving' | 'referring' }[]> = {
  REQUESTED: [
    { to: 'ACCEPTED', side: 'receiving' },
    { to: 'DECLINED', side: 'receiving' },
    { to: 'WITHDRAWN', side: 'referring' },
  ],
  ACCEPTED: [
    { to: 'IN_SERVICE', side: 'receiving' },
    { to: 'COMPLETED', side: 'receiving' },
    { to: 'WITHDRAWN', side: 'referring' },
  ],
  IN_SERVICE: [
    { to: 'COMPLETED', side: 'receiving' },
    { to: 'WITHDRAWN', side: 'referring' },
  ],
  DECLINED: [],
  COMPLETED: [],
  WITHDRAWN: [],
  CONSENT_WITHDRAWN: [],
};

function ReferralList({ codes }: { codes: Map<string, string> }) {
  const { t, dateTime } = useI18n();
  const { taskForce, me, canWrite } = useTaskForce();
  const referrals = useQuery(ReferralsQuery, { taskForceId: taskForce.id }, onReferral);
  const change = useMutation(ChangeReferralStatus);
  const names = new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency.name]));
  const move = async (referral: Referral, to: ReferralStatus, reason?: string) => {
    if (await change.run({ input: { referralId: referral.id, status: to, reason } })) referrals.reload();
  };
  return (
    <div className="card" data-testid="referral-list">
      <h2>{t('referral.list')}</h2>
      <Async state={referrals}>
        {({ referrals: list }) =>
          list.length === 0 ? (
            <p className="muted">{t('app.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('referral.case')}</th>
                    <th scope="col">{t('referral.fromTo')}</th>
                    <th scope="col">{t('referral.purpose')}</th>
                    <th scope="col">{t('referral.sections')}</th>
                    <th scope="col">{t('referral.respondBy')}</th>
                    <th scope="col">{t('referral.status')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('referral.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => {
                    const side =
                      r.toAgencyId === me.agency.id
                        ? 'receiving'
                        : r.fromAgencyId === me.agency.id
                          ? 'referring'
                          : null;
                    return (
                      <tr key={r.id} data-testid="referral" data-status={r.status}>
                        <th scope="row">{codes.get(r.caseSummaryId) ?? '—'}</th>
                        <td>
                          {names.get(r.fromAgencyId) ?? '—'} → {names.get(r.toAgencyId) ?? '—'}
                        </td>
                        <td>{t(`referral.purpose.${r.purpose}`)}</td>
                        <td>{r.sections.map((s) => t(`case.section.${s}`)).join(', ')}</td>
                        <td>{dateTime(r.respondBy)}</td>
                        <td>
                          {t(`referral.status.${r.status}`)}
                          {r.declineReason ? ` — ${r.declineReason}` : ''}
                        </td>
                        <td>
                          {canWrite &&
                            NEXT[r.status]
                              .filter((n) => n.side === side)
                              .map((n) =>
                                n.to === 'DECLINED' ? (
                                  // Declining needs its reason, asked in place.
                                  <ConfirmButton
                                    key={n.to}
                                    label={t('referral.do.DECLINED')}
                                    question={t('referral.declineQuestion')}
                                    confirmLabel={t('referral.declineConfirm')}
                                    reason={{ required: t('referral.declineReason') }}
                                    className="button-secondary"
                                    pending={change.pending}
                                    onConfirm={(reason) => void move(r, 'DECLINED', reason ?? undefined)}
                                  />
                                ) : (
                                  <button
                                    key={n.to}
                                    type="button"
                                    className="button-secondary"
                                    onClick={() => void move(r, n.to)}
                                  >
                                    {t(`referral.do.${n.to}`)}
                                  </button>
                                ),
                              )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      <ErrorMessage error={change.error} />
    </div>
  );
}
