import { type TaskForceRole } from '@hub/access';

/** Above this many distinct role sets (or ids) the tables start again: a bound, not an eviction policy. */
const MAX_SHARED = 10_000;
const roleSets = new Map<string, ReadonlyMap<string, TaskForceRole>>();
const ids = new Map<string, string>();

/**
 * One frozen-in-practice roles map (and one string per agency or task force id) for every actor with
 * the same memberships: each live connection holds its actor for its whole life, and most members of a
 * task force share their role there. Nothing writes to an actor's roles (a change makes a new map).
 */
export function sharedRoles(entries: Iterable<readonly [string, TaskForceRole]>): ReadonlyMap<string, TaskForceRole> {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = sorted.map(([taskForceId, role]) => `${taskForceId}=${role}`).join(',');
  let roles = roleSets.get(key);
  if (!roles) {
    if (roleSets.size >= MAX_SHARED) roleSets.clear();
    roles = new Map(sorted.map(([taskForceId, role]) => [sharedId(taskForceId), role]));
    roleSets.set(key, roles);
  }
  return roles;
}

/** The one copy of an id that many actors name (an agency, a task force). */
export function sharedId(id: string): string {
  const known = ids.get(id);
  if (known !== undefined) return known;
  if (ids.size >= MAX_SHARED) ids.clear();
  ids.set(id, id);
  return id;
}
