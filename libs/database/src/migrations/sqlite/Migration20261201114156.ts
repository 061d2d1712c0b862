import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114156 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`agenda_template\` (\`id\` text not null, \`task_force_id\` text not null, \`name\` text not null, \`items\` json not null, \`created_by_id\` text not null, \`created_at\` datetime not null, constraint \`agenda_template_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`agenda_template_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`agenda_template_task_force_id_index\` on \`agenda_template\` (\`task_force_id\`);`);
    this.addSql(`create index \`agenda_template_created_by_id_index\` on \`agenda_template\` (\`created_by_id\`);`);

    this.addSql(
      `create table \`meeting_series\` (\`id\` text not null, \`task_force_id\` text not null, \`title\` text not null, \`cadence\` text check (\`cadence\` in ('WEEKLY', 'MONTHLY')) not null, \`weekday\` integer not null, \`interval\` integer not null, \`week_of_month\` integer null, \`start_time\` text not null, \`duration_minutes\` integer not null, \`starts_on\` text not null, \`place\` text null, \`call_link\` text null, \`template_id\` text null, \`created_by_id\` text not null, \`created_at\` datetime not null, constraint \`meeting_series_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`meeting_series_template_id_foreign\` foreign key(\`template_id\`) references \`agenda_template\`(\`id\`) on delete set null on update cascade, constraint \`meeting_series_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`meeting_series_task_force_id_index\` on \`meeting_series\` (\`task_force_id\`);`);
    this.addSql(`create index \`meeting_series_template_id_index\` on \`meeting_series\` (\`template_id\`);`);
    this.addSql(`create index \`meeting_series_created_by_id_index\` on \`meeting_series\` (\`created_by_id\`);`);

    this.addSql(
      `create table \`minute_note_revision\` (\`id\` text not null, \`note_id\` text not null, \`text\` text not null, \`replaced_at\` datetime not null, constraint \`minute_note_revision_note_id_foreign\` foreign key(\`note_id\`) references \`minute_note\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`minute_note_revision_note_id_index\` on \`minute_note_revision\` (\`note_id\`);`);

    this.addSql(
      `alter table \`meeting\` add column \`series_id\` text null constraint \`meeting_series_id_foreign\` references \`meeting_series\` (\`id\`) on update cascade on delete set null;`,
    );
    this.addSql(`create index \`meeting_series_id_index\` on \`meeting\` (\`series_id\`);`);

    this.addSql(`alter table \`minute_note\` add column \`corrected_at\` datetime null;`);

    this.addSql(`alter table \`decision\` add column \`review_on\` text null;`);
  }
}
