import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/graphql';
import { session } from '../../api/session';
import { caseSummaryOf } from '../../api/live-events';
import { CaseSummaryQuery, CompareVersions, UpdateCaseSummary } from '../../api/operations';
import type { CaseRevision, CaseSection, CaseStage, CaseSummary } from '../../api/types';
import { Async, ErrorMessage, errorText } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { CaseHeaderForm } from './CaseHeaderForm';

const SECTIONS: CaseSection[] = ['OVERVIEW', 'INVESTIGATION', 'PROSECUTION', 'VICTIM_SUPPORT'];
/** A field of the case summary as the server names it (in `changed` and comparisons), to its section. */
const SECTION_OF: Record<string, CaseSection> = {
  OVERVIEW: 'OVERVIEW',
  INVESTIGATION: 'INVESTIGATION',
  PROSECUTION: 'PROSECUTION',
  VICTIM_SUPPORT: 'VICTIM_SUPPORT',
  overview: 'OVERVIEW',
  investigation: 'INVESTIGATION',
  prosecution: 'PROSECUTION',
  victimSupport: 'VICTIM_SUPPORT',
};

/** The on-screen name of a compared field: its section or header label, never the server's name. */
function fieldLabel(field: string, t: ReturnType<typeof useI18n>['t']): string {
  const section = SECTION_OF[field];
  if (section) return t(`case.section.${section}`);
  if (field === 'caseCode') return t('case.code');
  if (field === 'stage') return t('case.stage');
  if (field === 'exploitationForms') return t('case.exploitationForms');
  if (field === 'counts' || field.startsWith('counts.')) return t('case.countsLabel');
  return t('case.changed.other');
}

const FORMS = [
  'SEXUAL',
  'LABOUR',
  'FORCED_BEGGING',
  'FORCED_CRIMINALITY',
  'DOMESTIC_SERVITUDE',
  'FORCED_MARRIAGE',
  'ORGAN_REMOVAL',
  'OTHER',
] as const;
const COUNTS = ['victims', 'minors', 'victimsInProceedings', 'protectedWitnesses'] as const;
const STAGES = ['IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED'] as const;

/**
 * A compared value as the reader's language writes it: the server sends header fields as they are
 * stored ("PROSECUTION", "SEXUAL, LABOUR", "victims: 3, minors: 1"); section text stays as written.
 */
function valueLabel(field: string, raw: string, t: ReturnType<typeof useI18n>['t']): string {
  if (field === 'stage') return STAGES.includes(raw as CaseStage) ? t(`case.stage.${raw as CaseStage}`) : raw;
  if (field === 'exploitationForms')
    return raw
      .split(', ')
      .filter(Boolean)
      .map((form) =>
        FORMS.includes(form as (typeof FORMS)[number])
          ? t(`case.form.${form as (typeof FORMS)[number]}`)
          : t('case.form.OTHER'),
      )
      .join(', ');
  if (field === 'counts')
    return raw
      .split(', ')
      .map((pair) => {
        const [name, value] = pair.split(': ');
        return COUNTS.includes(name as (typeof COUNTS)[number])
          ? t('case.countValue', { label: t(`case.count.${name as (typeof COUNTS)[number]}`), value })
          : pair;
      })
      .join(', ');
  return raw;
}

const KEY = {
  OVERVIEW: 'overview',
  INVESTIGATION: 'investigation',
  PROSECUTION: 'prosecution',
  VICTIM_SUPPORT: 'victimSupport',
} as const;

export function CaseSummaryPage() {
  const { caseSummaryId = '' } = useParams();
  const summary = useQuery(CaseSummaryQuery, { id: caseSummaryId }, (e) => caseSummaryOf(e) === caseSummaryId);
  return <Async state={summary}>{({ caseSummary }) => <Detail summary={caseSummary} reload={summary.reload} />}</Async>;
}

function Detail({ summary, reload }: { summary: CaseSummary; reload(): void }) {
  const { t, dateTime } = useI18n();
  const { path } = useTaskForce();
  // Only what this member may read is shown at all: a section they may not read has no heading either.
  const readable = SECTIONS.filter((s) => summary.readableSections.includes(s));
  return (
    <article className="detail" data-testid="case-summary" data-version={summary.version}>
      <p>
        <Link to={path('/cases')}>← {t('case.list')}</Link>
      </p>
      <header className="page-head">
        <div>
          <h1>{summary.caseCode}</h1>
          <p className="muted">
            {t(`case.stage.${summary.stage}`)} · {t('case.version')} {summary.version} ·{' '}
            {t('case.updatedBy', { at: dateTime(summary.updatedAt), name: summary.updatedBy.displayName })}
          </p>
        </div>
      </header>
      <p>
        {t('case.counts', {
          victims: summary.counts.victims,
          minors: summary.counts.minors,
          inProceedings: summary.counts.victimsInProceedings,
          witnesses: summary.counts.protectedWitnesses,
        })}
      </p>
      <CaseHeaderForm key={summary.version} summary={summary} onSaved={reload} />
      {readable.map((section) => (
        <SectionCard key={section} summary={summary} section={section} onSaved={reload} />
      ))}
      {readable.length < SECTIONS.length && <p className="muted">{t('case.hiddenSections')}</p>}
      <Revisions summary={summary} />
    </article>
  );
}

function SectionCard({ summary, section, onSaved }: { summary: CaseSummary; section: CaseSection; onSaved(): void }) {
  const { t } = useI18n();
  const key = KEY[section];
  const writable = summary.writableSections.includes(section);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [draft, setDraft] = useState<string | null>(null);
  const [base, setBase] = useState(summary.version);
  const [conflict, setConflict] = useState<{ version: number } | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const id = `section-${key}`;

  const edit = () => {
    setDraft(summary[key] ?? '');
    setBase(summary.version);
    setConflict(null);
    setSaved(null);
    setError(undefined);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    setPending(true);
    setError(undefined);
    try {
      const result = await session.request(UpdateCaseSummary, {
        input: { id: summary.id, baseVersion: base, sections: { [key]: draft } },
      });
      setDraft(null);
      setConflict(null);
      setSaved(result.updateCaseSummary.version);
      onSaved();
    } catch (caught) {
      const refused = caught instanceof ApiError ? caught : new ApiError(String(caught), 'INTERNAL_SERVER_ERROR');
      setError(refused);
      const current = refused.extensions.currentVersion;
      if (refused.code === 'CONFLICT' && typeof current === 'number') {
        // Someone saved in between: show their text (reloaded), keep ours, base the next save on theirs.
        setConflict({ version: current });
        setBase(current);
        onSaved();
      }
    } finally {
      setPending(false);
    }
  };
  const screened = error?.code === 'BAD_USER_INPUT' && error.field === `sections.${key}`;
  const labels = { [`sections.${key}`]: t(`case.section.${section}`) };

  return (
    <section className="card section" data-section={section} aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{t(`case.section.${section}`)}</h2>
        {writable && draft === null && (
          <button type="button" className="button-secondary small" onClick={edit}>
            {t('case.edit')}
          </button>
        )}
      </div>
      {draft === null ? (
        <>
          <p className="prewrap" data-testid={`section-${key}`}>
            {summary[key] || <span className="muted">{t('case.empty')}</span>}
          </p>
          {saved !== null && (
            <p className="muted" role="status">
              {t('case.saved', { version: saved })}
            </p>
          )}
        </>
      ) : (
        <form onSubmit={(event) => void save(event)} className="stack">
          {conflict && (
            <div className="alert alert-warning" role="alert" data-testid="conflict">
              <p>{t('case.conflict', { name: summary.updatedBy.displayName, version: conflict.version })}</p>
              <h3>{t('case.theirVersion', { version: summary.version })}</h3>
              <p className="prewrap their-text">{summary[key] || t('case.empty')}</p>
              <button type="button" className="button-secondary small" onClick={() => setDraft(summary[key] ?? '')}>
                {t('case.useTheirs')}
              </button>
            </div>
          )}
          <label className="field" htmlFor={id}>
            <span className="visually-hidden">{t(`case.section.${section}`)}</span>
            <textarea
              id={id}
              rows={6}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-invalid={screened}
              aria-describedby={screened ? `${id}-error` : undefined}
            />
          </label>
          {screened && (
            <p id={`${id}-error`} className="field-error" role="alert" data-testid="field-error">
              {errorText(error, t, labels)}
            </p>
          )}
          {error && !screened && error.code !== 'CONFLICT' && <ErrorMessage error={error} labels={labels} />}
          <div className="controls">
            <button type="submit" disabled={pending}>
              {t('app.save')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setDraft(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Revisions({ summary }: { summary: CaseSummary }) {
  const { t, dateTime, intl } = useI18n();
  const versions = summary.revisions.map((r) => r.version).sort((a, b) => a - b);
  // Until chosen, compare the latest version with the one before it (as versions arrive live).
  const [chosenFrom, setFrom] = useState<number | null>(null);
  const [chosenTo, setTo] = useState<number | null>(null);
  const to = chosenTo ?? versions[versions.length - 1] ?? 1;
  const from = chosenFrom ?? (versions.length > 1 ? versions[versions.length - 2] : to);
  const [asked, setAsked] = useState<{ from: number; to: number } | null>(null);
  const diff = useQuery(CompareVersions, asked && { id: summary.id, fromVersion: asked.from, toVersion: asked.to });
  const label = (field: string) => fieldLabel(field, t);
  // What a revision changed, as words: "the stage (now Prosecution), the counts and the section “Overview”".
  const changedPart = (field: string, revision: CaseRevision): string => {
    const section = SECTION_OF[field];
    if (section) return t('case.changed.section', { section: t(`case.section.${section}`) });
    if (field === 'stage')
      return revision.stage
        ? t('case.changed.stage', { stage: t(`case.stage.${revision.stage}`) })
        : t('case.changed.stageHidden');
    if (field === 'caseCode' || field === 'exploitationForms' || field === 'counts') return t(`case.changed.${field}`);
    return t('case.changed.other');
  };
  const sentence = (r: CaseRevision) => {
    const values = { name: r.author.displayName, version: r.version, at: dateTime(r.at) };
    if (r.version === 1) return t('case.revisionCreated', values);
    if (r.changed.length === 0) return t('case.revisionSavedNothing', values);
    const parts = [...new Set(r.changed.map((field) => changedPart(field, r)))];
    return t('case.revisionSaved', { ...values, fields: intl.formatList(parts, { type: 'conjunction' }) });
  };
  return (
    <section className="card" aria-labelledby="revisions-title">
      <h2 id="revisions-title">{t('case.revisions')}</h2>
      <ol className="plain-list" data-testid="revisions">
        {summary.revisions.map((r) => (
          <li key={r.id} data-version={r.version}>
            {sentence(r)}
          </li>
        ))}
      </ol>
      {versions.length > 1 && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setAsked({ from, to });
          }}
        >
          <h3 className="visually-hidden">{t('case.compare')}</h3>
          <label className="field">
            <span>{t('case.from')}</span>
            <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('case.to')}</span>
            <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
          <button type="submit">{t('case.compareRun')}</button>
        </form>
      )}
      {asked && (
        <Async state={diff}>
          {({ compareCaseSummaryVersions: rows }) =>
            rows.length === 0 ? (
              <p className="muted">{t('case.noDifference')}</p>
            ) : (
              <div className="table-wrap">
                <table data-testid="comparison">
                  <thead>
                    <tr>
                      <th scope="col">{t('case.field')}</th>
                      <th scope="col">{t('case.before')}</th>
                      <th scope="col">{t('case.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.field}>
                        <th scope="row">{label(row.field)}</th>
                        <td className="prewrap">{valueLabel(row.field, row.before, t)}</td>
                        <td className="prewrap">{valueLabel(row.field, row.after, t)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      )}
    </section>
  );
}
