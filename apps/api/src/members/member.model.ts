import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Agency, Member } from '@hub/identity';
import { AgencyKind } from '../graphql/enums';

@ObjectType('Agency')
export class AgencyModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => AgencyKind) kind: AgencyKind;

  static from(agency: Agency): AgencyModel {
    return Object.assign(new AgencyModel(), { id: agency.id, name: agency.name, kind: agency.kind });
  }
}

@ObjectType('Member')
export class MemberModel {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() displayName: string;
  @Field() isPlatformAdmin: boolean;
  @Field({ description: 'Holds the national programme role: the national roll-up, aggregates only.' })
  isNationalProgramme: boolean;
  @Field(() => Date, { nullable: true, description: 'Set when an administrator disabled the member.' })
  disabledAt: Date | null;
  @Field() createdAt: Date;

  /** Not exposed: read by the `agency` field resolver through a loader. */
  agencyId: string;

  static from(member: Member): MemberModel {
    return Object.assign(new MemberModel(), {
      id: member.id,
      email: member.email,
      displayName: member.displayName,
      isPlatformAdmin: member.isPlatformAdmin,
      isNationalProgramme: member.isNationalProgramme,
      disabledAt: member.disabledAt ?? null,
      createdAt: member.createdAt,
      agencyId: member.agency.id,
    });
  }
}
