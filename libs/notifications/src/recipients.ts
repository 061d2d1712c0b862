import type { EntityManager } from '@mikro-orm/core';
import { TaskForceRole } from '@hub/access';
import { Membership } from '@hub/identity';

export interface Recipient {
  memberId: string;
  agencyId: string;
  role: TaskForceRole;
}

/**
 * Who may be notified in one task force: its members now, not disabled. Notifier.write then keeps
 * only those whose role may read the subject (libs/access); notifications never name case-summary
 * sections.
 */
export class TaskForceRecipients {
  private members?: Promise<Recipient[]>;

  constructor(
    private readonly em: EntityManager,
    readonly taskForceId: string,
  ) {}

  all(): Promise<Recipient[]> {
    this.members ??= this.em
      .find(
        Membership,
        { taskForce: this.taskForceId, member: { disabledAt: null } },
        { populate: ['member'], orderBy: { member: { id: 'asc' } } },
      )
      .then((rows) => rows.map((m) => ({ memberId: m.member.id, agencyId: m.member.agency.id, role: m.role })));
    return this.members;
  }

  async ids(keep: (recipient: Recipient) => boolean): Promise<string[]> {
    return (await this.all()).filter(keep).map((r) => r.memberId);
  }

  everyone = () => this.ids(() => true);
  coordinators = () => this.ids((r) => r.role === TaskForceRole.COORDINATOR);
  /** Observers follow the work but are not given it: an agency's items go to its members and coordinators. */
  ofAgency = (agencyId: string) => this.ids((r) => r.agencyId === agencyId && r.role !== TaskForceRole.OBSERVER);
  member = (memberId: string) => this.ids((r) => r.memberId === memberId);

  async agencyOf(memberId: string): Promise<string | undefined> {
    return (await this.all()).find((r) => r.memberId === memberId)?.agencyId;
  }
}
