import { Migration } from '@mikro-orm/migrations';

export class Migration20261201115132 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`email_outbox\` (\`id\` integer not null primary key autoincrement, \`member_id\` text not null, \`to\` text not null, \`subject\` text not null, \`body\` text not null, \`created_at\` datetime not null, \`attempts\` integer not null default 0, \`claimed_until\` datetime null, \`sent_at\` datetime null);`,
    );
    this.addSql(`create index \`email_outbox_sent_at_id_index\` on \`email_outbox\` (\`sent_at\`, \`id\`);`);

    this.addSql(
      `create table \`notification_preference\` (\`id\` text not null, \`email_mode\` text check (\`email_mode\` in ('NONE', 'IMMEDIATE', 'DAILY_DIGEST')) not null default 'NONE', \`digest_hour\` integer not null default 8, \`quiet_hours\` integer not null default true, \`mailed_up_to\` bigint not null default 0, \`digested_on\` text null, primary key (\`id\`));`,
    );

    this.addSql(
      `create table \`reminder_snooze\` (\`action_item_id\` text not null, \`until\` text not null, \`reason\` text not null, \`snoozed_by_id\` text not null, constraint \`reminder_snooze_snoozed_by_id_foreign\` foreign key(\`snoozed_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`action_item_id\`));`,
    );
    this.addSql(`create index \`reminder_snooze_snoozed_by_id_index\` on \`reminder_snooze\` (\`snoozed_by_id\`);`);

    this.addSql(
      `create table \`reminder_step\` (\`id\` integer not null primary key autoincrement, \`subject_id\` text not null, \`step\` text not null, \`due_key\` text not null, \`fired_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`reminder_step_subject_id_step_due_key_unique\` on \`reminder_step\` (\`subject_id\`, \`step\`, \`due_key\`);`,
    );

    this.addSql(
      `create table \`notification\` (\`id\` integer not null primary key autoincrement, \`member_id\` text not null, \`task_force_id\` text not null, \`kind\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`urgent\` integer not null default false, \`created_at\` datetime not null, \`read_at\` datetime null, constraint \`notification_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, constraint \`notification_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`notification_member_id_index\` on \`notification\` (\`member_id\`);`);
    this.addSql(`create index \`notification_task_force_id_index\` on \`notification\` (\`task_force_id\`);`);
    this.addSql(`create index \`notification_member_id_id_index\` on \`notification\` (\`member_id\`, \`id\`);`);
  }
}
