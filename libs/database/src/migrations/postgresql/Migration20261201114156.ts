import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114156 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "agenda_template" ("id" uuid not null, "task_force_id" uuid not null, "name" varchar(200) not null, "items" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "agenda_template_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "agenda_template_task_force_id_index" on "agenda_template" ("task_force_id");`);

    this.addSql(
      `create table "meeting_series" ("id" uuid not null, "task_force_id" uuid not null, "title" varchar(200) not null, "cadence" text check ("cadence" in ('WEEKLY', 'MONTHLY')) not null, "weekday" int not null, "interval" int not null, "week_of_month" int null, "start_time" varchar(5) not null, "duration_minutes" int not null, "starts_on" varchar(10) not null, "place" varchar(200) null, "call_link" varchar(500) null, "template_id" uuid null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "meeting_series_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "meeting_series_task_force_id_index" on "meeting_series" ("task_force_id");`);

    this.addSql(
      `create table "minute_note_revision" ("id" uuid not null, "note_id" uuid not null, "text" text not null, "replaced_at" timestamptz not null, constraint "minute_note_revision_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "minute_note_revision_note_id_index" on "minute_note_revision" ("note_id");`);

    this.addSql(
      `alter table "agenda_template" add constraint "agenda_template_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "agenda_template" add constraint "agenda_template_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "meeting_series" add constraint "meeting_series_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "meeting_series" add constraint "meeting_series_template_id_foreign" foreign key ("template_id") references "agenda_template" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "meeting_series" add constraint "meeting_series_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "minute_note_revision" add constraint "minute_note_revision_note_id_foreign" foreign key ("note_id") references "minute_note" ("id") on update cascade;`,
    );

    this.addSql(`alter table "meeting" add column "series_id" uuid null;`);
    this.addSql(
      `alter table "meeting" add constraint "meeting_series_id_foreign" foreign key ("series_id") references "meeting_series" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "meeting_series_id_index" on "meeting" ("series_id");`);

    this.addSql(`alter table "minute_note" add column "corrected_at" timestamptz null;`);

    this.addSql(`alter table "decision" add column "review_on" varchar(10) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "meeting_series" drop constraint "meeting_series_template_id_foreign";`);

    this.addSql(`alter table "meeting" drop constraint "meeting_series_id_foreign";`);

    this.addSql(`drop table if exists "agenda_template" cascade;`);

    this.addSql(`drop table if exists "meeting_series" cascade;`);

    this.addSql(`drop table if exists "minute_note_revision" cascade;`);

    this.addSql(`alter table "decision" drop column "review_on";`);

    this.addSql(`drop index "meeting_series_id_index";`);
    this.addSql(`alter table "meeting" drop column "series_id";`);

    this.addSql(`alter table "minute_note" drop column "corrected_at";`);
  }
}
