import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111609 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`calendar_feed\` (\`id\` text not null, \`member_id\` text not null, \`token_hash\` text not null, \`created_at\` datetime not null, constraint \`calendar_feed_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`calendar_feed_member_id_index\` on \`calendar_feed\` (\`member_id\`);`);
    this.addSql(`create unique index \`calendar_feed_member_id_unique\` on \`calendar_feed\` (\`member_id\`);`);
    this.addSql(`create unique index \`calendar_feed_token_hash_unique\` on \`calendar_feed\` (\`token_hash\`);`);

    this.addSql(
      `create table \`meeting\` (\`id\` text not null, \`task_force_id\` text not null, \`title\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`place\` text null, \`call_link\` text null, \`status\` text check (\`status\` in ('SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED')) not null default 'SCHEDULED', \`current_agenda_item_id\` text null, \`started_at\` datetime null, \`ended_at\` datetime null, \`cancelled_at\` datetime null, \`cancel_reason\` text null, \`created_by_id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`meeting_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`meeting_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`meeting_task_force_id_index\` on \`meeting\` (\`task_force_id\`);`);
    this.addSql(`create index \`meeting_created_by_id_index\` on \`meeting\` (\`created_by_id\`);`);
    this.addSql(
      `create index \`meeting_task_force_id_starts_at_index\` on \`meeting\` (\`task_force_id\`, \`starts_at\`);`,
    );

    this.addSql(
      `create table \`attendance\` (\`id\` text not null, \`meeting_id\` text not null, \`member_id\` text not null, \`mode\` text check (\`mode\` in ('IN_PERSON', 'REMOTE')) not null, \`arrived_at\` datetime not null, \`left_at\` datetime null, \`marked_by_id\` text not null, constraint \`attendance_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meeting\`(\`id\`) on update cascade, constraint \`attendance_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, constraint \`attendance_marked_by_id_foreign\` foreign key(\`marked_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`attendance_meeting_id_index\` on \`attendance\` (\`meeting_id\`);`);
    this.addSql(`create index \`attendance_member_id_index\` on \`attendance\` (\`member_id\`);`);
    this.addSql(`create index \`attendance_marked_by_id_index\` on \`attendance\` (\`marked_by_id\`);`);

    this.addSql(
      `create table \`case_summary\` (\`id\` text not null, \`task_force_id\` text not null, \`case_code\` text not null, \`stage\` text check (\`stage\` in ('IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED')) not null, \`exploitation_forms\` json not null, \`victims\` integer not null default 0, \`minors\` integer not null default 0, \`victims_in_proceedings\` integer not null default 0, \`protected_witnesses\` integer not null default 0, \`overview\` text not null default '', \`investigation\` text not null default '', \`prosecution\` text not null default '', \`victim_support\` text not null default '', \`version\` integer not null default 1, \`created_by_id\` text not null, \`updated_by_id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`case_summary_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`case_summary_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, constraint \`case_summary_updated_by_id_foreign\` foreign key(\`updated_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`case_summary_task_force_id_index\` on \`case_summary\` (\`task_force_id\`);`);
    this.addSql(`create index \`case_summary_created_by_id_index\` on \`case_summary\` (\`created_by_id\`);`);
    this.addSql(`create index \`case_summary_updated_by_id_index\` on \`case_summary\` (\`updated_by_id\`);`);
    this.addSql(
      `create unique index \`case_summary_task_force_id_case_code_unique\` on \`case_summary\` (\`task_force_id\`, \`case_code\`);`,
    );

    this.addSql(
      `create table \`case_summary_revision\` (\`id\` text not null, \`case_summary_id\` text not null, \`version\` integer not null, \`author_id\` text not null, \`at\` datetime not null, \`changed\` json not null, \`snapshot\` json not null, constraint \`case_summary_revision_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on update cascade, constraint \`case_summary_revision_author_id_foreign\` foreign key(\`author_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`case_summary_revision_case_summary_id_index\` on \`case_summary_revision\` (\`case_summary_id\`);`,
    );
    this.addSql(`create index \`case_summary_revision_author_id_index\` on \`case_summary_revision\` (\`author_id\`);`);
    this.addSql(
      `create unique index \`case_summary_revision_case_summary_id_version_unique\` on \`case_summary_revision\` (\`case_summary_id\`, \`version\`);`,
    );

    this.addSql(
      `create table \`agenda_item\` (\`id\` text not null, \`meeting_id\` text not null, \`position\` integer not null, \`title\` text not null, \`presenter_id\` text null, \`case_summary_id\` text null, \`time_box_minutes\` integer null, \`started_at\` datetime null, \`created_at\` datetime not null, constraint \`agenda_item_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meeting\`(\`id\`) on update cascade, constraint \`agenda_item_presenter_id_foreign\` foreign key(\`presenter_id\`) references \`member\`(\`id\`) on delete set null on update cascade, constraint \`agenda_item_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`agenda_item_meeting_id_index\` on \`agenda_item\` (\`meeting_id\`);`);
    this.addSql(`create index \`agenda_item_presenter_id_index\` on \`agenda_item\` (\`presenter_id\`);`);
    this.addSql(`create index \`agenda_item_case_summary_id_index\` on \`agenda_item\` (\`case_summary_id\`);`);
    this.addSql(
      `create index \`agenda_item_meeting_id_position_index\` on \`agenda_item\` (\`meeting_id\`, \`position\`);`,
    );

    this.addSql(
      `create table \`minute_note\` (\`id\` text not null, \`meeting_id\` text not null, \`agenda_item_id\` text not null, \`author_id\` text not null, \`text\` text not null, \`created_at\` datetime not null, constraint \`minute_note_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meeting\`(\`id\`) on update cascade, constraint \`minute_note_agenda_item_id_foreign\` foreign key(\`agenda_item_id\`) references \`agenda_item\`(\`id\`) on update cascade, constraint \`minute_note_author_id_foreign\` foreign key(\`author_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`minute_note_meeting_id_index\` on \`minute_note\` (\`meeting_id\`);`);
    this.addSql(`create index \`minute_note_agenda_item_id_index\` on \`minute_note\` (\`agenda_item_id\`);`);
    this.addSql(`create index \`minute_note_author_id_index\` on \`minute_note\` (\`author_id\`);`);

    this.addSql(
      `create table \`decision\` (\`id\` text not null, \`meeting_id\` text not null, \`agenda_item_id\` text not null, \`text\` text not null, \`case_summary_id\` text null, \`recorded_by_id\` text not null, \`created_at\` datetime not null, constraint \`decision_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meeting\`(\`id\`) on update cascade, constraint \`decision_agenda_item_id_foreign\` foreign key(\`agenda_item_id\`) references \`agenda_item\`(\`id\`) on update cascade, constraint \`decision_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on delete set null on update cascade, constraint \`decision_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`decision_meeting_id_index\` on \`decision\` (\`meeting_id\`);`);
    this.addSql(`create index \`decision_agenda_item_id_index\` on \`decision\` (\`agenda_item_id\`);`);
    this.addSql(`create index \`decision_case_summary_id_index\` on \`decision\` (\`case_summary_id\`);`);
    this.addSql(`create index \`decision_recorded_by_id_index\` on \`decision\` (\`recorded_by_id\`);`);

    this.addSql(
      `create table \`action_item\` (\`id\` text not null, \`task_force_id\` text not null, \`title\` text not null, \`description\` text null, \`status\` text check (\`status\` in ('OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED')) not null default 'OPEN', \`blocked_reason\` text null, \`priority\` text check (\`priority\` in ('LOW', 'NORMAL', 'HIGH', 'URGENT')) not null default 'NORMAL', \`due_on\` text not null, \`assignee_member_id\` text null, \`assignee_agency_id\` text null, \`meeting_id\` text null, \`decision_id\` text null, \`case_summary_id\` text null, \`created_by_id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`completed_at\` datetime null, constraint \`action_item_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`action_item_assignee_member_id_foreign\` foreign key(\`assignee_member_id\`) references \`member\`(\`id\`) on delete set null on update cascade, constraint \`action_item_assignee_agency_id_foreign\` foreign key(\`assignee_agency_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, constraint \`action_item_meeting_id_foreign\` foreign key(\`meeting_id\`) references \`meeting\`(\`id\`) on delete set null on update cascade, constraint \`action_item_decision_id_foreign\` foreign key(\`decision_id\`) references \`decision\`(\`id\`) on delete set null on update cascade, constraint \`action_item_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on delete set null on update cascade, constraint \`action_item_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`action_item_task_force_id_index\` on \`action_item\` (\`task_force_id\`);`);
    this.addSql(`create index \`action_item_assignee_member_id_index\` on \`action_item\` (\`assignee_member_id\`);`);
    this.addSql(`create index \`action_item_assignee_agency_id_index\` on \`action_item\` (\`assignee_agency_id\`);`);
    this.addSql(`create index \`action_item_meeting_id_index\` on \`action_item\` (\`meeting_id\`);`);
    this.addSql(`create index \`action_item_decision_id_index\` on \`action_item\` (\`decision_id\`);`);
    this.addSql(`create index \`action_item_case_summary_id_index\` on \`action_item\` (\`case_summary_id\`);`);
    this.addSql(`create index \`action_item_created_by_id_index\` on \`action_item\` (\`created_by_id\`);`);
    this.addSql(
      `create index \`action_item_task_force_id_due_on_id_index\` on \`action_item\` (\`task_force_id\`, \`due_on\`, \`id\`);`,
    );

    this.addSql(
      `create table \`action_item_comment\` (\`id\` text not null, \`action_item_id\` text not null, \`author_id\` text not null, \`text\` text not null, \`created_at\` datetime not null, constraint \`action_item_comment_action_item_id_foreign\` foreign key(\`action_item_id\`) references \`action_item\`(\`id\`) on update cascade, constraint \`action_item_comment_author_id_foreign\` foreign key(\`author_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`action_item_comment_action_item_id_index\` on \`action_item_comment\` (\`action_item_id\`);`,
    );
    this.addSql(`create index \`action_item_comment_author_id_index\` on \`action_item_comment\` (\`author_id\`);`);

    this.addSql(
      `create table \`action_item_change\` (\`id\` integer not null primary key autoincrement, \`action_item_id\` text not null, \`actor_id\` text not null, \`at\` datetime not null, \`kind\` text not null, \`before\` json null, \`after\` json null, constraint \`action_item_change_action_item_id_foreign\` foreign key(\`action_item_id\`) references \`action_item\`(\`id\`) on update cascade, constraint \`action_item_change_actor_id_foreign\` foreign key(\`actor_id\`) references \`member\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create index \`action_item_change_action_item_id_index\` on \`action_item_change\` (\`action_item_id\`);`,
    );
    this.addSql(`create index \`action_item_change_actor_id_index\` on \`action_item_change\` (\`actor_id\`);`);
  }
}
