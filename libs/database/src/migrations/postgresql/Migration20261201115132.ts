import { Migration } from '@mikro-orm/migrations';

export class Migration20261201115132 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_outbox" ("id" bigserial primary key, "member_id" uuid not null, "to" varchar(254) not null, "subject" varchar(200) not null, "body" text not null, "created_at" timestamptz not null, "attempts" int not null default 0, "claimed_until" timestamptz null, "sent_at" timestamptz null);`,
    );
    this.addSql(`create index "email_outbox_sent_at_id_index" on "email_outbox" ("sent_at", "id");`);

    this.addSql(
      `create table "notification_preference" ("id" uuid not null, "email_mode" text check ("email_mode" in ('NONE', 'IMMEDIATE', 'DAILY_DIGEST')) not null default 'NONE', "digest_hour" int not null default 8, "quiet_hours" boolean not null default true, "mailed_up_to" bigint not null default 0, "digested_on" varchar(10) null, constraint "notification_preference_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "reminder_snooze" ("action_item_id" uuid not null, "until" varchar(10) not null, "reason" varchar(500) not null, "snoozed_by_id" uuid not null, constraint "reminder_snooze_pkey" primary key ("action_item_id"));`,
    );

    this.addSql(
      `create table "reminder_step" ("id" bigserial primary key, "subject_id" uuid not null, "step" varchar(32) not null, "due_key" varchar(32) not null, "fired_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "reminder_step" add constraint "reminder_step_subject_id_step_due_key_unique" unique ("subject_id", "step", "due_key");`,
    );

    this.addSql(
      `create table "notification" ("id" bigserial primary key, "member_id" uuid not null, "task_force_id" uuid not null, "kind" varchar(32) not null, "subject_type" varchar(16) not null, "subject_id" uuid not null, "urgent" boolean not null default false, "created_at" timestamptz not null, "read_at" timestamptz null);`,
    );
    this.addSql(`create index "notification_task_force_id_index" on "notification" ("task_force_id");`);
    this.addSql(`create index "notification_member_id_id_index" on "notification" ("member_id", "id");`);

    this.addSql(
      `alter table "reminder_snooze" add constraint "reminder_snooze_snoozed_by_id_foreign" foreign key ("snoozed_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_outbox" cascade;`);

    this.addSql(`drop table if exists "notification_preference" cascade;`);

    this.addSql(`drop table if exists "reminder_snooze" cascade;`);

    this.addSql(`drop table if exists "reminder_step" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);
  }
}
