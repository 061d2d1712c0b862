import { type FormEvent, useState } from 'react';
import type { CaseStage, ExploitationForm } from '../../api/generated';
import { UpdateCaseHeader } from '../../api/operations';
import type { CaseSummary } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { STAGES } from './CaseSummaries';

const FORMS: ExploitationForm[] = [
  'SEXUAL',
  'LABOUR',
  'FORCED_BEGGING',
  'FORCED_CRIMINALITY',
  'DOMESTIC_SERVITUDE',
  'FORCED_MARRIAGE',
  'ORGAN_REMOVAL',
  'OTHER',
];
const COUNTS = ['victims', 'minors', 'victimsInProceedings', 'protectedWitnesses'] as const;

/**
 * The header (stage, forms of exploitation, counts) for those who may write the overview; the hub
 * refuses it otherwise. Based on the version shown: a newer one on the server is a conflict, not an overwrite.
 */
export function CaseHeaderForm({ summary, onSaved }: { summary: CaseSummary; onSaved(): void }) {
  const { t } = useI18n();
  const update = useMutation(UpdateCaseHeader);
  const [open, setOpen] = useState(false);
  const [stage, setStage] = useState<CaseStage>(summary.stage);
  const [forms, setForms] = useState(new Set(summary.exploitationForms as ExploitationForm[]));
  const [counts, setCounts] = useState({ ...summary.counts });
  if (!summary.writableSections.includes('OVERVIEW')) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await update.run({
      input: { id: summary.id, baseVersion: summary.version, stage, exploitationForms: [...forms], counts },
    });
    if (done) {
      setOpen(false);
      onSaved();
    }
  };
  if (!open)
    return (
      <p>
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          {t('case.editHeader')}
        </button>
      </p>
    );
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} data-testid="case-header-form">
      <label className="field">
        <span>{t('case.stage')}</span>
        <select name="stage" value={stage} onChange={(e) => setStage(e.target.value as CaseStage)}>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {t(`case.stage.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('case.forms')}</legend>
        {FORMS.map((f) => (
          <label key={f} className="check">
            <input
              type="checkbox"
              checked={forms.has(f)}
              onChange={() =>
                setForms((all) => {
                  const next = new Set(all);
                  if (!next.delete(f)) next.add(f);
                  return next;
                })
              }
            />{' '}
            {t(`case.form.${f}`)}
          </label>
        ))}
      </fieldset>
      <div className="row">
        {COUNTS.map((c) => (
          <label key={c} className="field">
            <span>{t(`case.count.${c}`)}</span>
            <input
              type="number"
              min={0}
              name={c}
              value={counts[c]}
              onChange={(e) => setCounts((all) => ({ ...all, [c]: Number(e.target.value) }))}
            />
          </label>
        ))}
      </div>
      <div className="controls">
        <button type="submit" disabled={update.pending}>
          {t('app.save')}
        </button>
        <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
          {t('app.cancel')}
        </button>
      </div>
      <ErrorMessage error={update.error} />
    </form>
  );
}
