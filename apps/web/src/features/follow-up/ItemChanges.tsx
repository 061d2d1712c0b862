import { type FormEvent, useState } from 'react';
import { ChangeActionItemStatus, EditActionItem } from '../../api/operations';
import type { ActionItemSummary } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { today } from '../meetings/AssignForm';

/**
 * On an item's page: a coordinator reassigns it; its worker or a coordinator changes the due date;
 * cancelling asks for a reason and a confirmation.
 */
export function ItemChanges({ item, onChanged }: { item: ActionItemSummary; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce, isCoordinator, me } = useTaskForce();
  const edit = useMutation(EditActionItem);
  const cancel = useMutation(ChangeActionItemStatus);
  const [assignee, setAssignee] = useState('');
  const [dueOn, setDueOn] = useState(item.dueOn);
  // A new due date (this form's or anyone's, live) resets the field; the rest of the state, the
  // confirmation of the change just made among it, stays (a remount would drop it at the reload).
  const [shownDueOn, setShownDueOn] = useState(item.dueOn);
  if (item.dueOn !== shownDueOn) {
    setShownDueOn(item.dueOn);
    setDueOn(item.dueOn);
  }
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const active = item.status !== 'DONE' && item.status !== 'CANCELLED';
  const mine = item.assigneeMember?.id === me.id || (!item.assigneeMember && item.assigneeAgency?.id === me.agency.id);
  if (!active || !(isCoordinator || mine)) return null;
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency])).values()];
  const reassign = async (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = assignee.split(':');
    const r = await edit.run({
      input: { id: item.id, assignee: kind === 'agency' ? { agencyId: id } : { memberId: id } },
    });
    if (r) {
      setAssignee('');
      setDone(t('item.reassigned'));
      onChanged();
    }
  };
  const redate = async (event: FormEvent) => {
    event.preventDefault();
    if (await edit.run({ input: { id: item.id, dueOn } })) {
      setDone(t('item.redated'));
      onChanged();
    }
  };
  const cancelItem = async () => {
    if (await cancel.run({ id: item.id, status: 'CANCELLED', reason: reason.trim() })) onChanged();
  };
  return (
    <section className="card stack" aria-labelledby="changes-title" data-testid="item-changes">
      <h2 id="changes-title">{t('item.changes')}</h2>
      {isCoordinator && (
        <form className="inline-form" onSubmit={(e) => void reassign(e)}>
          <label className="field grow">
            <span>{t('item.reassign')}</span>
            <select name="reassign" value={assignee} onChange={(e) => setAssignee(e.target.value)} required>
              <option value="">{t('attendance.choose')}</option>
              {agencies.map((a) => (
                <option key={a.id} value={`agency:${a.id}`}>
                  {t('action.assigneeAgency', { name: a.name })}
                </option>
              ))}
              {taskForce.members.map(({ member }) => (
                <option key={member.id} value={`member:${member.id}`}>
                  {t('action.assigneeMember', { name: member.displayName })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={edit.pending || !assignee}>
            {t('item.reassignSubmit')}
          </button>
        </form>
      )}
      <form className="inline-form" onSubmit={(e) => void redate(e)}>
        <label className="field">
          <span>{t('item.newDueOn')}</span>
          <input type="date" name="newDueOn" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required />
          {dueOn < today() && <span className="field-warning">{t('action.pastDue')}</span>}
        </label>
        <button type="submit" className="button-secondary" disabled={edit.pending || dueOn === item.dueOn}>
          {t('item.redate')}
        </button>
      </form>
      {isCoordinator && (
        <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
          <label className="field grow">
            <span>{t('item.cancelReason')}</span>
            <input name="cancelReason" value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <ConfirmButton
            label={t('item.cancel')}
            question={t('item.confirmCancel', { title: item.title })}
            confirmLabel={t('action.confirmCancelYes')}
            pending={cancel.pending}
            disabled={!reason.trim()}
            submit
            onConfirm={() => void cancelItem()}
          />
        </form>
      )}
      <ErrorMessage error={edit.error ?? cancel.error} />
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
