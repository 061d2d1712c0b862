import { useMemo } from 'react';
import { useI18n } from '../i18n';
import type { SentenceContext } from './sentences';
import { useTaskForce } from './task-force';

/** The context for this reader: their language, and the task force's members and agencies. */
export function useSentenceContext(agenda?: readonly { id: string; title: string }[]): SentenceContext {
  const { t, date } = useI18n();
  const { taskForce } = useTaskForce();
  return useMemo(
    () => ({
      t,
      date,
      members: new Map(taskForce.members.map((m) => [m.member.id, m.member.displayName])),
      agencies: new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency.name])),
      agenda: agenda && new Map(agenda.map((item, index) => [item.id, { title: item.title, position: index + 1 }])),
    }),
    [t, date, taskForce, agenda],
  );
}
