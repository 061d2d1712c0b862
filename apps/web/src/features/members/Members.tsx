import { type FormEvent, useState } from 'react';
import type { TaskForceRole } from '../../api/generated';
import { AddMembership, ChangeMembershipRole, RemoveMembership, TaskForceQuery } from '../../api/operations';
import { ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

const ROLES: TaskForceRole[] = ['COORDINATOR', 'MEMBER', 'OBSERVER'];

/**
 * A coordinator manages the task force's members: add an existing member by e-mail, change a role,
 * remove. The hub applies its rules (such as keeping a coordinator) and its refusals show here.
 * The list follows membership events, so it changes as soon as the change is made: this page reads
 * the members itself, inside the live connection. The shell's copy (names, your role) is read once
 * per page load: reading it live too (058fee9) came with a meeting-page failure in CI whose cause was
 * not found, so only this page follows the events.
 */
export function MembersPage() {
  const { t } = useI18n();
  const scope = useTaskForce();
  const { me } = scope;
  const live = useQuery(TaskForceQuery, { id: scope.taskForce.id }, (event) => event.type.startsWith('membership.'));
  const taskForce = live.data?.taskForce ?? scope.taskForce;
  // Your own role too: a coordinator who is made a member here loses the controls at once.
  const isCoordinator = taskForce.myRole === 'COORDINATOR';
  const add = useMutation(AddMembership);
  const change = useMutation(ChangeMembershipRole);
  const remove = useMutation(RemoveMembership);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TaskForceRole>('MEMBER');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add.run({ input: { taskForceId: taskForce.id, email: email.trim(), role } })) setEmail('');
  };
  return (
    <section data-testid="members">
      <h1>{t('members.title')}</h1>
      <ul className="plain-list">
        {taskForce.members.map((m) => (
          <li key={m.id} data-member-id={m.member.id} className="row">
            <span className="grow">
              <strong>{m.member.displayName}</strong> <span className="muted">{m.member.agency.name}</span>
            </span>
            {isCoordinator ? (
              <>
                <label className="field">
                  <span className="visually-hidden">{t('members.roleOf', { name: m.member.displayName })}</span>
                  <select
                    value={m.role}
                    disabled={change.pending}
                    onChange={(e) =>
                      void change.run({ input: { membershipId: m.id, role: e.target.value as TaskForceRole } })
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`tf.role.${r}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <ConfirmButton
                  label={t('agenda.remove')}
                  question={
                    m.member.id === me.id
                      ? t('members.confirmRemoveSelf')
                      : t('members.confirmRemove', { name: m.member.displayName })
                  }
                  confirmLabel={t('members.confirmRemoveYes')}
                  className="button-secondary small"
                  pending={remove.pending}
                  onConfirm={() => void remove.run({ membershipId: m.id })}
                />
              </>
            ) : (
              <span className="muted">{t(`tf.role.${m.role}`)}</span>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={change.error ?? remove.error ?? live.error} />
      {isCoordinator && (
        <form className="card inline-form" onSubmit={(e) => void submit(e)}>
          <label className="field grow">
            <span>{t('members.email')}</span>
            <input type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label className="field">
            <span>{t('members.role')}</span>
            <select name="role" value={role} onChange={(e) => setRole(e.target.value as TaskForceRole)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`tf.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={add.pending || !email.trim()}>
            {t('members.add')}
          </button>
          <ErrorMessage error={add.error} />
        </form>
      )}
    </section>
  );
}
