import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import type { AgendaEntryProps } from './AgendaEntry';
import { DecisionForm } from './DecisionForm';

/** The decisions taken on one agenda item; a coordinator records them while the meeting runs on it. */
export function AgendaDecisions({ meeting, item, current, live, onChanged }: AgendaEntryProps) {
  const { t, date } = useI18n();
  const { isCoordinator } = useTaskForce();
  const decisions = meeting.decisions.filter((d) => d.agendaItemId === item.id);
  const recording = isCoordinator && live && current;
  if (decisions.length === 0 && !recording) return null;
  return (
    <div className="agenda-block">
      <h4>{t('meeting.decisions')}</h4>
      <ul className="decisions" data-testid="decisions">
        {decisions.map((d) => (
          <li key={d.id} data-decision-id={d.id}>
            {d.text}
            {(d.caseSummary || d.reviewOn || d.actionItems.length > 0) && (
              <span className="muted">
                {d.caseSummary && ` · ${t('action.case', { code: d.caseSummary.caseCode })}`}
                {d.reviewOn && ` · ${t('decision.reviewOn', { date: date(d.reviewOn) })}`}
                {d.actionItems.length > 0 &&
                  ` · ${t('decision.linkedItems', { titles: d.actionItems.map((a) => a.title).join(', ') })}`}
              </span>
            )}
          </li>
        ))}
      </ul>
      {recording && <DecisionForm meeting={meeting} item={item} onDone={onChanged} />}
    </div>
  );
}
