import { Migration } from '@mikro-orm/migrations';

export class Migration20261128113009 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "domain_event" ("id" bigserial primary key, "task_force_id" uuid null, "cursor" int null, "type" varchar(48) not null, "actor_id" uuid null, "meeting_id" uuid null, "at" timestamptz not null, "data" jsonb not null, "published_at" timestamptz null);`,
    );
    this.addSql(`create index "domain_event_meeting_id_index" on "domain_event" ("meeting_id");`);
    this.addSql(`create index "domain_event_published_at_id_index" on "domain_event" ("published_at", "id");`);
    this.addSql(
      `alter table "domain_event" add constraint "domain_event_task_force_id_cursor_unique" unique ("task_force_id", "cursor");`,
    );

    this.addSql(
      `create table "event_cursor" ("task_force_id" uuid not null, "last_cursor" int not null, constraint "event_cursor_pkey" primary key ("task_force_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "domain_event" cascade;`);

    this.addSql(`drop table if exists "event_cursor" cascade;`);
  }
}
