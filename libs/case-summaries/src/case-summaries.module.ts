import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { CaseSummariesRepository } from './case-summaries.repository';
import { CaseSummariesService } from './case-summaries.service';
import { CaseSummary, CaseSummaryRevision } from './case-summary.entity';

@Module({
  imports: [MikroOrmModule.forFeature([CaseSummary, CaseSummaryRevision]), AuditModule],
  providers: [CaseSummariesService, CaseSummariesRepository],
  exports: [CaseSummariesService, CaseSummariesRepository],
})
export class CaseSummariesModule {}
