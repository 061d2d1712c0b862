import { Args, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { AuditService, encodeAuditCursor } from '@hub/audit';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { AuditArgs } from './audit.input';
import { AuditPageModel, AuditRecordModel } from './audit.model';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditPageModel, {
    description: "Coordinators: their task force's audit trail. Administrators: all of it.",
  })
  async auditRecords(
    @CurrentActor() actor: Actor,
    @Args() { filter, first, after }: AuditArgs,
  ): Promise<AuditPageModel> {
    const page = await this.audit.list(actor, filter ?? {}, first, after);
    const last = page.records.at(-1);
    return {
      nodes: page.records.map(AuditRecordModel.from),
      pageInfo: { endCursor: last ? encodeAuditCursor(last.id) : null, hasNextPage: page.hasNextPage },
    };
  }
}
