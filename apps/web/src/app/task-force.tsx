import { createContext, useContext } from 'react';
import type { Me, TaskForce, TaskForceRole } from '../api/types';

export interface TaskForceScope {
  me: Me;
  taskForce: TaskForce;
  role: TaskForceRole | null;
  isCoordinator: boolean;
  /** Members and coordinators write; observers only read. */
  canWrite: boolean;
  /** `/t/<id>` plus a path inside the task force. */
  path(inner?: string): string;
  memberName(id: string | null | undefined): string;
}

export const TaskForceContext = createContext<TaskForceScope | null>(null);

export function useTaskForce(): TaskForceScope {
  const scope = useContext(TaskForceContext);
  if (!scope) throw new Error('useTaskForce outside a task force');
  return scope;
}
