import type { Meeting } from '../../api/types';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ActionItemCard } from '../action-items/controls';
import { AssignForm } from './AssignForm';

/** The action items assigned in this meeting, and the form to assign another. */
export function MeetingActionItems({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { isCoordinator } = useTaskForce();
  return (
    <section className="card" aria-labelledby="items-title">
      <h2 id="items-title">{t('meeting.actionItems')}</h2>
      <div data-testid="meeting-action-items" className="stack">
        {meeting.actionItems.length === 0 ? (
          <p className="muted">{t('app.none')}</p>
        ) : (
          meeting.actionItems.map((item) => <ActionItemCard key={item.id} item={item} onChanged={onChanged} />)
        )}
      </div>
      {isCoordinator && meeting.status !== 'CANCELLED' && <AssignForm meeting={meeting} onChanged={onChanged} />}
    </section>
  );
}
