import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { CaseSummary, CaseSummaryRevision, FieldDifference } from '@hub/case-summaries';
import { CaseStage, ExploitationForm } from '../graphql/enums';

@ObjectType('CaseCounts')
export class CaseCountsModel {
  @Field(() => Int) victims: number;
  @Field(() => Int, { description: 'Of the victims, how many are minors.' }) minors: number;
  @Field(() => Int) victimsInProceedings: number;
  @Field(() => Int) protectedWitnesses: number;
}

export const SECTION_DESCRIPTION = 'Null when your agency may not read this section (see readableSections).';

@ObjectType('CaseSummary', {
  description: 'A shared case summary: a pseudonymous code, counts, and four sections under need-to-know.',
})
export class CaseSummaryModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Pseudonymous case code, unique in the task force.' }) caseCode: string;
  @Field(() => CaseStage) stage: CaseStage;
  @Field(() => [ExploitationForm]) exploitationForms: ExploitationForm[];
  @Field(() => CaseCountsModel) counts: CaseCountsModel;
  @Field(() => Int, { description: 'Send it back as baseVersion when you update.' }) version: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  /** Not exposed: the entity, for section and relation resolvers. */
  entity: CaseSummary;

  static from(summary: CaseSummary): CaseSummaryModel {
    return Object.assign(new CaseSummaryModel(), {
      id: summary.id,
      caseCode: summary.caseCode,
      stage: summary.stage,
      exploitationForms: summary.exploitationForms,
      counts: {
        victims: summary.victims,
        minors: summary.minors,
        victimsInProceedings: summary.victimsInProceedings,
        protectedWitnesses: summary.protectedWitnesses,
      },
      version: summary.version,
      createdAt: summary.createdAt,
      updatedAt: summary.updatedAt,
      entity: summary,
    });
  }
}

@ObjectType('CaseSummaryRevision', {
  description: 'One saved change; fields and sections you may not read are left out.',
})
export class CaseSummaryRevisionModel {
  @Field(() => ID) id: string;
  @Field(() => Int) version: number;
  @Field() at: Date;
  @Field(() => [String], {
    description:
      'What this change touched, limited to what you may know of: caseCode, stage, exploitationForms, counts, or a CaseSection.',
  })
  changed: string[];
  @Field(() => String, { nullable: true }) caseCode: string | null;
  @Field(() => CaseStage, { nullable: true }) stage: CaseStage | null;
  @Field(() => CaseCountsModel, { nullable: true }) counts: CaseCountsModel | null;

  /** Not exposed. */
  entity: CaseSummaryRevision;
  summary: CaseSummary;
  authorId: string;
}

@ObjectType('CaseSummaryDifference')
export class CaseSummaryDifferenceModel {
  @Field({ description: 'caseCode, stage, exploitationForms, counts, or a CaseSection.' }) field: string;
  @Field() before: string;
  @Field() after: string;

  static from(difference: FieldDifference): CaseSummaryDifferenceModel {
    return Object.assign(new CaseSummaryDifferenceModel(), difference);
  }
}
