import { Migration } from '@mikro-orm/migrations';

export class Migration20261128113009 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`domain_event\` (\`id\` integer not null primary key autoincrement, \`task_force_id\` text null, \`cursor\` integer null, \`type\` text not null, \`actor_id\` text null, \`meeting_id\` text null, \`at\` datetime not null, \`data\` json not null, \`published_at\` datetime null);`,
    );
    this.addSql(`create index \`domain_event_meeting_id_index\` on \`domain_event\` (\`meeting_id\`);`);
    this.addSql(`create index \`domain_event_published_at_id_index\` on \`domain_event\` (\`published_at\`, \`id\`);`);
    this.addSql(
      `create unique index \`domain_event_task_force_id_cursor_unique\` on \`domain_event\` (\`task_force_id\`, \`cursor\`);`,
    );

    this.addSql(
      `create table \`event_cursor\` (\`task_force_id\` text not null, \`last_cursor\` integer not null, primary key (\`task_force_id\`));`,
    );
  }
}
