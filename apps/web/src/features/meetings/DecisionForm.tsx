import { type FormEvent, useState } from 'react';
import { MeetingPlanningQuery, RecordDecision } from '../../api/operations';
import type { AgendaItem, Meeting } from '../../api/types';
import { errorText } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/**
 * A decision on the current agenda item, with what it links shown and chosen on screen: a case
 * summary (the item's own is offered first), a review date, and the meeting's action items it gives rise to.
 */
export function DecisionForm({ meeting, item, onDone }: { meeting: Meeting; item: AgendaItem; onDone(): void }) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const record = useMutation(RecordDecision);
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id });
  const [text, setText] = useState('');
  const [caseSummaryId, setCaseSummaryId] = useState(item.caseSummary?.id ?? '');
  const [reviewOn, setReviewOn] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const linkable = meeting.actionItems.filter((a) => !a.decision);
  const id = `decision-${item.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const done = await record.run({
      input: {
        meetingId: meeting.id,
        agendaItemId: item.id,
        text: text.trim(),
        caseSummaryId: caseSummaryId || null,
        reviewOn: reviewOn || null,
        actionItemIds: [...chosen],
      },
    });
    if (done) {
      setText('');
      setReviewOn('');
      setChosen(new Set());
      onDone();
    }
  };
  const toggle = (itemId: string) =>
    setChosen((all) => {
      const next = new Set(all);
      if (!next.delete(itemId)) next.add(itemId);
      return next;
    });
  const label = t('meeting.decisionLabel', { title: item.title });
  return (
    <form className="stack decision-form" onSubmit={(event) => void submit(event)} data-testid="decision-form">
      <div className="inline-form">
        <label className="field grow" htmlFor={id}>
          <span className="visually-hidden">{label}</span>
          <input
            id={id}
            value={text}
            placeholder={label}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={record.error?.field === 'text'}
            aria-describedby={record.error ? `${id}-error` : undefined}
          />
        </label>
        <button type="submit" disabled={record.pending || !text.trim()}>
          {t('meeting.recordDecision')}
        </button>
      </div>
      <details>
        <summary>{t('decision.links')}</summary>
        <div className="row">
          <label className="field">
            <span>{t('agenda.case')}</span>
            <select name="decisionCase" value={caseSummaryId} onChange={(e) => setCaseSummaryId(e.target.value)}>
              <option value="">—</option>
              {(planning.data?.caseSummaries ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.caseCode}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('decision.review')}</span>
            <input type="date" name="reviewOn" value={reviewOn} onChange={(e) => setReviewOn(e.target.value)} />
          </label>
        </div>
        {linkable.length > 0 && (
          <fieldset>
            <legend>{t('decision.items')}</legend>
            {linkable.map((a) => (
              <label key={a.id} className="check">
                <input
                  type="checkbox"
                  name="decisionItem"
                  value={a.id}
                  checked={chosen.has(a.id)}
                  onChange={() => toggle(a.id)}
                />{' '}
                {a.title}
              </label>
            ))}
          </fieldset>
        )}
      </details>
      {record.error && (
        <p id={`${id}-error`} className="field-error" role="alert" data-testid="field-error">
          {errorText(record.error, t, { text: label })}
        </p>
      )}
    </form>
  );
}
