export * from './task-force.entity';
export * from './task-forces.service';
export * from './task-forces.repository';
export * from './task-forces.module';
