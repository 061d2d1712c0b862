import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AuditRecord } from '@hub/audit';
import { PageInfo } from '../graphql/page-info.model';

@ObjectType('AuditRecord')
export class AuditRecordModel {
  @Field(() => ID) id: string;
  @Field() at: Date;
  @Field({ description: 'For example auth.login.failed or membership.roleChanged.' }) action: string;
  @Field(() => ID, { nullable: true }) actorId: string | null;
  @Field(() => ID, { nullable: true }) taskForceId: string | null;
  @Field(() => String, { nullable: true }) subjectType: string | null;
  @Field(() => String, { nullable: true }) subjectId: string | null;
  @Field(() => String, { nullable: true, description: 'The client address.' }) ip: string | null;
  @Field(() => String, { nullable: true, description: 'Details as a JSON object.' }) details: string | null;

  static from(record: AuditRecord): AuditRecordModel {
    return Object.assign(new AuditRecordModel(), {
      id: String(record.id),
      at: record.at,
      action: record.action,
      actorId: record.actorId ?? null,
      taskForceId: record.taskForceId ?? null,
      subjectType: record.subjectType ?? null,
      subjectId: record.subjectId ?? null,
      ip: record.ip ?? null,
      details: record.details ? JSON.stringify(record.details) : null,
    });
  }
}

@ObjectType('AuditPage')
export class AuditPageModel {
  @Field(() => [AuditRecordModel], { description: 'Newest first.' }) nodes: AuditRecordModel[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
