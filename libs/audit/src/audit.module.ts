import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditRecord } from './audit-record.entity';
import { AuditService } from './audit.service';

@Module({
  imports: [MikroOrmModule.forFeature([AuditRecord])],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
