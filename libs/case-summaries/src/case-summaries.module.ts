import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { CaseSummariesService } from './case-summaries.service';
import { CaseSummary, CaseSummaryRevision } from './case-summary.entity';

@Module({
  imports: [MikroOrmModule.forFeature([CaseSummary, CaseSummaryRevision]), AuditModule],
  providers: [CaseSummariesService],
  exports: [CaseSummariesService],
})
export class CaseSummariesModule {}
