import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { ReportSnapshot } from './report-snapshot.entity';
import { ReportExportsService } from './report-exports.service';
import { ReportsCloseJob } from './reports-close.job';
import { ReportsService } from './reports.service';

@Module({
  imports: [MikroOrmModule.forFeature([ReportSnapshot]), AuditModule],
  providers: [ReportsService, ReportExportsService, ReportsCloseJob],
  exports: [ReportsService, ReportExportsService],
})
export class ReportsModule {}
