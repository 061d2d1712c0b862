import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114144 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`report_snapshot\` (\`id\` text not null, \`task_force_id\` text not null, \`period\` text not null, \`indicators_version\` integer not null, \`counts\` json not null, \`taken_at\` datetime not null, constraint \`report_snapshot_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`report_snapshot_task_force_id_index\` on \`report_snapshot\` (\`task_force_id\`);`);
    this.addSql(
      `create unique index \`report_snapshot_task_force_id_period_unique\` on \`report_snapshot\` (\`task_force_id\`, \`period\`);`,
    );

    this.addSql(`alter table \`member\` add column \`is_national_programme\` integer not null default false;`);
  }
}
