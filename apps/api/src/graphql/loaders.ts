import { Injectable } from '@nestjs/common';
import { AgenciesService, Agency, Member, MembersService, Membership, MembershipsService } from '@hub/identity';
import { TaskForce, TaskForcesService } from '@hub/task-forces';
import DataLoader from 'dataloader';

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | undefined)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id));
}

function grouped<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) map.get(key(row))?.push(row);
  return ids.map((id) => map.get(id) ?? []);
}

export type Loaders = ReturnType<LoadersFactory['create']>;

/**
 * Per-request batching: one query per relation and request, however many parents ask.
 * Loaders fetch; field resolvers apply the policy before asking.
 */
@Injectable()
export class LoadersFactory {
  constructor(
    private readonly members: MembersService,
    private readonly agencies: AgenciesService,
    private readonly taskForces: TaskForcesService,
    private readonly memberships: MembershipsService,
  ) {}

  create() {
    return {
      member: new DataLoader<string, Member | undefined>(async (ids) => byId(ids, await this.members.findByIds(ids))),
      agency: new DataLoader<string, Agency | undefined>(async (ids) => byId(ids, await this.agencies.findByIds(ids))),
      taskForce: new DataLoader<string, TaskForce | undefined>(async (ids) => byId(ids, await this.taskForces.findByIds(ids))),
      membershipsByTaskForce: new DataLoader<string, Membership[]>(async (ids) =>
        grouped(ids, await this.memberships.findByTaskForceIds(ids), (m) => m.taskForce.id),
      ),
      membershipsByMember: new DataLoader<string, Membership[]>(async (ids) =>
        grouped(ids, await this.memberships.findByMemberIds(ids), (m) => m.member.id),
      ),
    };
  }
}
