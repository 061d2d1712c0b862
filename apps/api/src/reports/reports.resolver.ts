import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { INDICATORS, ReportsService } from '@hub/reports';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { IndicatorModel, NationalReportModel, TaskForceReportModel } from './report.model';

@Resolver()
export class ReportsResolver {
  constructor(private readonly reports: ReportsService) {}

  @Query(() => [IndicatorModel], { description: 'The indicator definitions, with their versions and formulas.' })
  indicators(): IndicatorModel[] {
    return INDICATORS.map(IndicatorModel.from);
  }

  @Query(() => TaskForceReportModel, {
    description:
      "A task force's indicators for a period (month, quarter, year or custom) with their trend: members only.",
  })
  async taskForceReport(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
    @Args('period', { description: '2026-07, 2026-Q3, 2026, or 2026-07-01..2026-08-15.' }) period: string,
  ): Promise<TaskForceReportModel> {
    return TaskForceReportModel.from(await this.reports.taskForceReport(actor, taskForceId, period));
  }

  @Query(() => NationalReportModel, {
    description: 'The national programme role: every task force side by side and in total, for a closed quarter.',
  })
  async nationalReport(
    @CurrentActor() actor: Actor,
    @Args('period', { description: 'A closed quarter, 2026-Q3.' }) period: string,
  ): Promise<NationalReportModel> {
    return NationalReportModel.from(await this.reports.nationalReport(actor, period));
  }
}
