import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { IndicatorDefinition, NationalReport, PeriodView, TaskForceReport } from '@hub/reports';

@ObjectType('ReportPeriod')
export class ReportPeriodModel {
  @Field({ description: '2026-07, 2026-Q3, 2026, or 2026-07-01..2026-08-15.' }) key: string;
  @Field({ description: 'MONTH, QUARTER, YEAR or CUSTOM.' }) kind: string;
  @Field({ description: 'First day, in Bucharest.' }) from: string;
  @Field({ description: 'Last day (inclusive), in Bucharest.' }) to: string;

  static from(p: PeriodView): ReportPeriodModel {
    return Object.assign(new ReportPeriodModel(), p);
  }
}

@ObjectType('Indicator', { description: 'A versioned indicator definition (docs/reports.md is the glossary).' })
export class IndicatorModel {
  @Field() id: string;
  @Field(() => Int) version: number;
  @Field() name: string;
  @Field({ description: 'count, ratio or days.' }) unit: string;
  @Field({ description: 'none, agencyKind, stage or transition.' }) breakdown: string;
  @Field() formula: string;
  @Field({ description: 'Part of the national roll-up.' }) national: boolean;

  static from(d: IndicatorDefinition): IndicatorModel {
    return Object.assign(new IndicatorModel(), d);
  }
}

@ObjectType('ReportRow')
export class ReportRowModel {
  @Field({ description: 'The breakdown value (an agency kind, a stage, FROM→TO), or ALL.' }) key: string;
  @Field(() => [Float], {
    nullable: 'items',
    description: 'One per period of the trend, oldest first; null: nothing to divide by.',
  })
  values: (number | null)[];
}

@ObjectType('ReportTable')
export class ReportTableModel {
  @Field() indicator: string;
  @Field(() => Int) version: number;
  @Field() name: string;
  @Field() unit: string;
  @Field() breakdown: string;
  @Field(() => [ReportRowModel]) rows: ReportRowModel[];
}

@ObjectType('TaskForceReport')
export class TaskForceReportModel {
  @Field() taskForceId: string;
  @Field() taskForceCode: string;
  @Field() taskForceName: string;
  @Field(() => Int) indicatorsVersion: number;
  @Field(() => ReportPeriodModel) period: ReportPeriodModel;
  @Field(() => [ReportPeriodModel], { description: 'The trend, oldest first; the chosen period last.' })
  periods: ReportPeriodModel[];
  @Field(() => [ReportTableModel]) tables: ReportTableModel[];

  static from(r: TaskForceReport): TaskForceReportModel {
    return Object.assign(new TaskForceReportModel(), {
      taskForceId: r.taskForce.id,
      taskForceCode: r.taskForce.code,
      taskForceName: r.taskForce.name,
      indicatorsVersion: r.indicatorsVersion,
      period: ReportPeriodModel.from(r.period),
      periods: r.periods.map(ReportPeriodModel.from),
      tables: r.tables,
    });
  }
}

@ObjectType('NationalRow')
export class NationalRowModel {
  @Field({ description: 'A task-force code, or TOTAL.' }) label: string;
  @Field(() => [Int], {
    nullable: 'items',
    description: 'null: suppressed (a small count, or one that would reveal one).',
  })
  values: (number | null)[];
}

@ObjectType('NationalTable')
export class NationalTableModel {
  @Field() indicator: string;
  @Field(() => Int) version: number;
  @Field() name: string;
  @Field(() => [String], { description: 'Breakdown values, then TOTAL when the rows add up across them.' })
  columns: string[];
  @Field(() => [NationalRowModel]) rows: NationalRowModel[];
}

@ObjectType('NationalReport')
export class NationalReportModel {
  @Field(() => Int) indicatorsVersion: number;
  @Field(() => ReportPeriodModel) period: ReportPeriodModel;
  @Field(() => ReportPeriodModel, { nullable: true }) previousPeriod: ReportPeriodModel | null;
  @Field(() => [String]) taskForces: string[];
  @Field(() => [NationalTableModel]) tables: NationalTableModel[];

  static from(r: NationalReport): NationalReportModel {
    return Object.assign(new NationalReportModel(), {
      ...r,
      period: ReportPeriodModel.from(r.period),
      previousPeriod: r.previousPeriod ? ReportPeriodModel.from(r.previousPeriod) : null,
    });
  }
}
