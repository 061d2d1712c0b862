import { Migration } from '@mikro-orm/migrations';

export class Migration20261128104230 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`agency\` (\`id\` text not null, \`name\` text not null, \`kind\` text check (\`kind\` in ('POLICE', 'ORGANISED_CRIME_PROSECUTION', 'PROSECUTION', 'COURT', 'BORDER_POLICE', 'LABOUR_INSPECTION', 'SOCIAL_SERVICES', 'VICTIM_SUPPORT_NGO', 'NATIONAL_AGENCY', 'INTERNATIONAL_ORGANISATION', 'OTHER')) not null, \`created_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`agency_name_unique\` on \`agency\` (\`name\`);`);

    this.addSql(
      `create table \`audit_record\` (\`id\` integer not null primary key autoincrement, \`at\` datetime not null, \`action\` text not null, \`actor_id\` text null, \`task_force_id\` text null, \`subject_type\` text null, \`subject_id\` text null, \`ip\` text null, \`details\` json null);`,
    );
    this.addSql(`create index \`audit_record_actor_id_id_index\` on \`audit_record\` (\`actor_id\`, \`id\`);`);
    this.addSql(
      `create index \`audit_record_task_force_id_id_index\` on \`audit_record\` (\`task_force_id\`, \`id\`);`,
    );

    this.addSql(
      `create table \`member\` (\`id\` text not null, \`email\` text not null, \`display_name\` text not null, \`agency_id\` text not null, \`password_hash\` text not null, \`is_platform_admin\` integer not null default false, \`disabled_at\` datetime null, \`created_at\` datetime not null, constraint \`member_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`member_email_unique\` on \`member\` (\`email\`);`);
    this.addSql(`create index \`member_agency_id_index\` on \`member\` (\`agency_id\`);`);

    this.addSql(
      `create table \`auth_session\` (\`id\` text not null, \`member_id\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, \`revoked_reason\` text null, \`ip\` text null, constraint \`auth_session_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`auth_session_member_id_index\` on \`auth_session\` (\`member_id\`);`);

    this.addSql(
      `create table \`refresh_token\` (\`id\` text not null, \`session_id\` text not null, \`token_hash\` text not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime not null, constraint \`refresh_token_session_id_foreign\` foreign key(\`session_id\`) references \`auth_session\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`refresh_token_session_id_index\` on \`refresh_token\` (\`session_id\`);`);
    this.addSql(`create unique index \`refresh_token_token_hash_unique\` on \`refresh_token\` (\`token_hash\`);`);

    this.addSql(
      `create table \`task_force\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`region\` text not null, \`court_of_appeal\` text not null, \`counties\` json not null, \`created_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`task_force_code_unique\` on \`task_force\` (\`code\`);`);

    this.addSql(
      `create table \`membership\` (\`id\` text not null, \`task_force_id\` text not null, \`member_id\` text not null, \`role\` text check (\`role\` in ('COORDINATOR', 'MEMBER', 'OBSERVER')) not null, \`created_at\` datetime not null, constraint \`membership_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`membership_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`membership_task_force_id_index\` on \`membership\` (\`task_force_id\`);`);
    this.addSql(`create index \`membership_member_id_index\` on \`membership\` (\`member_id\`);`);
    this.addSql(
      `create unique index \`membership_task_force_id_member_id_unique\` on \`membership\` (\`task_force_id\`, \`member_id\`);`,
    );
  }
}
