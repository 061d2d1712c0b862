import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import type { AgendaEntryProps } from './AgendaEntry';
import { TextForm } from './TextForm';

/** The decisions taken on one agenda item; a coordinator records them while the meeting runs on it. */
export function AgendaDecisions({ meeting, item, current, live, onChanged }: AgendaEntryProps) {
  const { t } = useI18n();
  const { isCoordinator } = useTaskForce();
  const decisions = meeting.decisions.filter((d) => d.agendaItemId === item.id);
  const recording = isCoordinator && live && current;
  if (decisions.length === 0 && !recording) return null;
  return (
    <div className="agenda-block">
      <h4>{t('meeting.decisions')}</h4>
      <ul className="decisions" data-testid="decisions">
        {decisions.map((d) => (
          <li key={d.id}>{d.text}</li>
        ))}
      </ul>
      {recording && (
        <TextForm
          label={t('meeting.decisionLabel', { title: item.title })}
          submit={t('meeting.recordDecision')}
          op="decision"
          meetingId={meeting.id}
          agendaItemId={item.id}
          onDone={onChanged}
        />
      )}
    </div>
  );
}
