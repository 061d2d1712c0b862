import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, AgencyKind, assertCanOnPlatform } from '@hub/access';
import { AuditService } from '@hub/audit';
import { conflictOnDuplicate, screenFields } from '@hub/core';
import { Agency } from './agency.entity';
import { agencyNameTaken } from './identity.errors';
import { WriteTransaction } from '@hub/events';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
  ) {}

  async create(actor: Actor, input: { name: string; kind: AgencyKind }): Promise<Agency> {
    assertCanOnPlatform(actor, 'agency.create');
    const name = input.name.trim();
    screenFields({ name });
    const taken = () => agencyNameTaken(name);
    return conflictOnDuplicate(taken, () =>
      this.writes.run(async (em) => {
        if (await em.count(Agency, { name })) throw taken();
        const agency = em.create(Agency, { name, kind: input.kind });
        this.audit.record(em, {
          action: 'agency.created',
          actorId: actor.memberId,
          subjectType: 'Agency',
          subjectId: agency.id,
          ip: actor.ip,
          details: { kind: input.kind },
        });
        return agency;
      }),
    );
  }

  /** Agencies are organisations, not people: every signed-in member may list them. */
  list(): Promise<Agency[]> {
    return this.em.find(Agency, {}, { orderBy: { name: 'asc' } });
  }
}
