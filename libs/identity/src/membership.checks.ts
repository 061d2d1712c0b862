import { type EntityManager } from '@mikro-orm/core';
import { badInput } from '@hub/core';
import { Membership } from './membership.entity';

/** Someone named in a task force's work (presenter, assignee, attendee) must belong to it. */
export async function assertMemberOfTaskForce(
  em: EntityManager,
  taskForceId: string,
  memberId: string,
  field: string,
): Promise<Membership> {
  const membership = await em.findOne(
    Membership,
    { taskForce: taskForceId, member: memberId },
    { populate: ['member'] },
  );
  if (!membership) throw badInput(field, 'This person is not a member of the task force.');
  return membership;
}

/** An agency "of the task force" is one with at least one member in it. */
export async function assertAgencyInTaskForce(
  em: EntityManager,
  taskForceId: string,
  agencyId: string,
  field: string,
): Promise<void> {
  const count = await em.count(Membership, { taskForce: taskForceId, member: { agency: agencyId } });
  if (!count) throw badInput(field, 'No one from this agency is a member of the task force.');
}
