import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111609 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "calendar_feed" ("id" uuid not null, "member_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, constraint "calendar_feed_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_member_id_unique" unique ("member_id");`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `create table "meeting" ("id" uuid not null, "task_force_id" uuid not null, "title" varchar(200) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "place" varchar(200) null, "call_link" varchar(500) null, "status" text check ("status" in ('SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED')) not null default 'SCHEDULED', "current_agenda_item_id" uuid null, "started_at" timestamptz null, "ended_at" timestamptz null, "cancelled_at" timestamptz null, "cancel_reason" varchar(500) null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "meeting_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "meeting_task_force_id_starts_at_index" on "meeting" ("task_force_id", "starts_at");`);

    this.addSql(
      `create table "attendance" ("id" uuid not null, "meeting_id" uuid not null, "member_id" uuid not null, "mode" text check ("mode" in ('IN_PERSON', 'REMOTE')) not null, "arrived_at" timestamptz not null, "left_at" timestamptz null, "marked_by_id" uuid not null, constraint "attendance_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "attendance_meeting_id_index" on "attendance" ("meeting_id");`);
    this.addSql(`create index "attendance_member_id_index" on "attendance" ("member_id");`);

    this.addSql(
      `create table "case_summary" ("id" uuid not null, "task_force_id" uuid not null, "case_code" varchar(32) not null, "stage" text check ("stage" in ('IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED')) not null, "exploitation_forms" jsonb not null, "victims" int not null default 0, "minors" int not null default 0, "victims_in_proceedings" int not null default 0, "protected_witnesses" int not null default 0, "overview" text not null default '', "investigation" text not null default '', "prosecution" text not null default '', "victim_support" text not null default '', "version" int not null default 1, "created_by_id" uuid not null, "updated_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "case_summary_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "case_summary" add constraint "case_summary_task_force_id_case_code_unique" unique ("task_force_id", "case_code");`,
    );

    this.addSql(
      `create table "case_summary_revision" ("id" uuid not null, "case_summary_id" uuid not null, "version" int not null, "author_id" uuid not null, "at" timestamptz not null, "changed" jsonb not null, "snapshot" jsonb not null, constraint "case_summary_revision_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "case_summary_revision" add constraint "case_summary_revision_case_summary_id_version_unique" unique ("case_summary_id", "version");`,
    );

    this.addSql(
      `create table "agenda_item" ("id" uuid not null, "meeting_id" uuid not null, "position" int not null, "title" varchar(200) not null, "presenter_id" uuid null, "case_summary_id" uuid null, "time_box_minutes" int null, "started_at" timestamptz null, "created_at" timestamptz not null, constraint "agenda_item_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "agenda_item_meeting_id_position_index" on "agenda_item" ("meeting_id", "position");`);

    this.addSql(
      `create table "minute_note" ("id" uuid not null, "meeting_id" uuid not null, "agenda_item_id" uuid not null, "author_id" uuid not null, "text" text not null, "created_at" timestamptz not null, constraint "minute_note_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "minute_note_meeting_id_index" on "minute_note" ("meeting_id");`);
    this.addSql(`create index "minute_note_agenda_item_id_index" on "minute_note" ("agenda_item_id");`);

    this.addSql(
      `create table "decision" ("id" uuid not null, "meeting_id" uuid not null, "agenda_item_id" uuid not null, "text" text not null, "case_summary_id" uuid null, "recorded_by_id" uuid not null, "created_at" timestamptz not null, constraint "decision_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "decision_meeting_id_index" on "decision" ("meeting_id");`);
    this.addSql(`create index "decision_agenda_item_id_index" on "decision" ("agenda_item_id");`);

    this.addSql(
      `create table "action_item" ("id" uuid not null, "task_force_id" uuid not null, "title" varchar(200) not null, "description" text null, "status" text check ("status" in ('OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED')) not null default 'OPEN', "blocked_reason" varchar(500) null, "priority" text check ("priority" in ('LOW', 'NORMAL', 'HIGH', 'URGENT')) not null default 'NORMAL', "due_on" varchar(10) not null, "assignee_member_id" uuid null, "assignee_agency_id" uuid null, "meeting_id" uuid null, "decision_id" uuid null, "case_summary_id" uuid null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "completed_at" timestamptz null, constraint "action_item_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "action_item_assignee_member_id_index" on "action_item" ("assignee_member_id");`);
    this.addSql(`create index "action_item_assignee_agency_id_index" on "action_item" ("assignee_agency_id");`);
    this.addSql(`create index "action_item_meeting_id_index" on "action_item" ("meeting_id");`);
    this.addSql(`create index "action_item_decision_id_index" on "action_item" ("decision_id");`);
    this.addSql(`create index "action_item_case_summary_id_index" on "action_item" ("case_summary_id");`);
    this.addSql(
      `create index "action_item_task_force_id_due_on_id_index" on "action_item" ("task_force_id", "due_on", "id");`,
    );

    this.addSql(
      `create table "action_item_comment" ("id" uuid not null, "action_item_id" uuid not null, "author_id" uuid not null, "text" text not null, "created_at" timestamptz not null, constraint "action_item_comment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "action_item_comment_action_item_id_index" on "action_item_comment" ("action_item_id");`);

    this.addSql(
      `create table "action_item_change" ("id" bigserial primary key, "action_item_id" uuid not null, "actor_id" uuid not null, "at" timestamptz not null, "kind" varchar(16) not null, "before" jsonb null, "after" jsonb null);`,
    );
    this.addSql(`create index "action_item_change_action_item_id_index" on "action_item_change" ("action_item_id");`);

    this.addSql(
      `alter table "calendar_feed" add constraint "calendar_feed_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "meeting" add constraint "meeting_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "meeting" add constraint "meeting_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "attendance" add constraint "attendance_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_marked_by_id_foreign" foreign key ("marked_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "case_summary" add constraint "case_summary_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "case_summary" add constraint "case_summary_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "case_summary" add constraint "case_summary_updated_by_id_foreign" foreign key ("updated_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "case_summary_revision" add constraint "case_summary_revision_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "case_summary_revision" add constraint "case_summary_revision_author_id_foreign" foreign key ("author_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "agenda_item" add constraint "agenda_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "agenda_item" add constraint "agenda_item_presenter_id_foreign" foreign key ("presenter_id") references "member" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "agenda_item" add constraint "agenda_item_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "minute_note" add constraint "minute_note_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "minute_note" add constraint "minute_note_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "minute_note" add constraint "minute_note_author_id_foreign" foreign key ("author_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "decision" add constraint "decision_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "decision" add constraint "decision_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "decision" add constraint "decision_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "decision" add constraint "decision_recorded_by_id_foreign" foreign key ("recorded_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "action_item" add constraint "action_item_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_assignee_member_id_foreign" foreign key ("assignee_member_id") references "member" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_assignee_agency_id_foreign" foreign key ("assignee_agency_id") references "agency" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_decision_id_foreign" foreign key ("decision_id") references "decision" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "action_item" add constraint "action_item_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "action_item_comment" add constraint "action_item_comment_action_item_id_foreign" foreign key ("action_item_id") references "action_item" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "action_item_comment" add constraint "action_item_comment_author_id_foreign" foreign key ("author_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "action_item_change" add constraint "action_item_change_action_item_id_foreign" foreign key ("action_item_id") references "action_item" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "action_item_change" add constraint "action_item_change_actor_id_foreign" foreign key ("actor_id") references "member" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "attendance" drop constraint "attendance_meeting_id_foreign";`);

    this.addSql(`alter table "agenda_item" drop constraint "agenda_item_meeting_id_foreign";`);

    this.addSql(`alter table "minute_note" drop constraint "minute_note_meeting_id_foreign";`);

    this.addSql(`alter table "decision" drop constraint "decision_meeting_id_foreign";`);

    this.addSql(`alter table "action_item" drop constraint "action_item_meeting_id_foreign";`);

    this.addSql(`alter table "case_summary_revision" drop constraint "case_summary_revision_case_summary_id_foreign";`);

    this.addSql(`alter table "agenda_item" drop constraint "agenda_item_case_summary_id_foreign";`);

    this.addSql(`alter table "decision" drop constraint "decision_case_summary_id_foreign";`);

    this.addSql(`alter table "action_item" drop constraint "action_item_case_summary_id_foreign";`);

    this.addSql(`alter table "minute_note" drop constraint "minute_note_agenda_item_id_foreign";`);

    this.addSql(`alter table "decision" drop constraint "decision_agenda_item_id_foreign";`);

    this.addSql(`alter table "action_item" drop constraint "action_item_decision_id_foreign";`);

    this.addSql(`alter table "action_item_comment" drop constraint "action_item_comment_action_item_id_foreign";`);

    this.addSql(`alter table "action_item_change" drop constraint "action_item_change_action_item_id_foreign";`);

    this.addSql(`drop table if exists "calendar_feed" cascade;`);

    this.addSql(`drop table if exists "meeting" cascade;`);

    this.addSql(`drop table if exists "attendance" cascade;`);

    this.addSql(`drop table if exists "case_summary" cascade;`);

    this.addSql(`drop table if exists "case_summary_revision" cascade;`);

    this.addSql(`drop table if exists "agenda_item" cascade;`);

    this.addSql(`drop table if exists "minute_note" cascade;`);

    this.addSql(`drop table if exists "decision" cascade;`);

    this.addSql(`drop table if exists "action_item" cascade;`);

    this.addSql(`drop table if exists "action_item_comment" cascade;`);

    this.addSql(`drop table if exists "action_item_change" cascade;`);
  }
}
