import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { TaskForce } from './task-force.entity';
import { TaskForcesRepository } from './task-forces.repository';
import { TaskForcesService } from './task-forces.service';

@Module({
  imports: [MikroOrmModule.forFeature([TaskForce]), AuditModule],
  providers: [TaskForcesService, TaskForcesRepository],
  exports: [TaskForcesService, TaskForcesRepository],
})
export class TaskForcesModule {}
