import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114144 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "report_snapshot" ("id" uuid not null, "task_force_id" uuid not null, "period" varchar(16) not null, "indicators_version" int not null, "counts" jsonb not null, "taken_at" timestamptz not null, constraint "report_snapshot_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "report_snapshot" add constraint "report_snapshot_task_force_id_period_unique" unique ("task_force_id", "period");`,
    );

    this.addSql(
      `alter table "report_snapshot" add constraint "report_snapshot_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );

    this.addSql(`alter table "member" add column "is_national_programme" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_snapshot" cascade;`);

    this.addSql(`alter table "member" drop column "is_national_programme";`);
  }
}
