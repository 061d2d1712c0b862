import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114422 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`consent_refusal_tally\` (\`id\` text not null, \`task_force_id\` text not null, \`month\` text not null, \`refused\` integer not null default 0, constraint \`consent_refusal_tally_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`consent_refusal_tally_task_force_id_index\` on \`consent_refusal_tally\` (\`task_force_id\`);`,
    );
    this.addSql(
      `create unique index \`consent_refusal_tally_task_force_id_month_unique\` on \`consent_refusal_tally\` (\`task_force_id\`, \`month\`);`,
    );

    this.addSql(
      `create table \`referral_consent\` (\`id\` text not null, \`task_force_id\` text not null, \`case_summary_id\` text not null, \`agency_id\` text not null, \`recorded_by_id\` text not null, \`purposes\` json not null, \`receivers\` json not null, \`sections\` json not null, \`language\` text not null, \`interpreter_used\` integer not null, \`explained_points\` json not null, \`read_back\` integer not null, \`minor\` integer not null default false, \`legal_basis\` text null, \`guardian_role\` text null, \`given_at\` datetime not null, \`withdrawn_at\` datetime null, \`withdrawn_by_id\` text null, constraint \`referral_consent_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`referral_consent_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on update cascade, constraint \`referral_consent_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on update cascade, constraint \`referral_consent_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`member\`(\`id\`) on update cascade, constraint \`referral_consent_withdrawn_by_id_foreign\` foreign key(\`withdrawn_by_id\`) references \`member\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`referral_consent_task_force_id_index\` on \`referral_consent\` (\`task_force_id\`);`);
    this.addSql(
      `create index \`referral_consent_case_summary_id_index\` on \`referral_consent\` (\`case_summary_id\`);`,
    );
    this.addSql(`create index \`referral_consent_agency_id_index\` on \`referral_consent\` (\`agency_id\`);`);
    this.addSql(`create index \`referral_consent_recorded_by_id_index\` on \`referral_consent\` (\`recorded_by_id\`);`);
    this.addSql(
      `create index \`referral_consent_withdrawn_by_id_index\` on \`referral_consent\` (\`withdrawn_by_id\`);`,
    );
    this.addSql(
      `create index \`referral_consent_case_summary_id_agency_id_index\` on \`referral_consent\` (\`case_summary_id\`, \`agency_id\`);`,
    );

    this.addSql(
      `create table \`referral\` (\`id\` text not null, \`task_force_id\` text not null, \`case_summary_id\` text not null, \`from_agency_id\` text not null, \`to_agency_id\` text not null, \`purpose\` text check (\`purpose\` in ('ASSISTANCE', 'SHELTER', 'LEGAL_AID', 'HEALTH', 'INTERPRETATION', 'REPATRIATION', 'COMPENSATION')) not null, \`sections\` json not null, \`urgent\` integer not null default false, \`respond_by\` datetime not null, \`status\` text check (\`status\` in ('REQUESTED', 'ACCEPTED', 'DECLINED', 'IN_SERVICE', 'COMPLETED', 'WITHDRAWN', 'CONSENT_WITHDRAWN')) not null default 'REQUESTED', \`consent_id\` text null, \`override_reason\` text null, \`decline_reason\` text null, \`requested_by_id\` text not null, \`requested_at\` datetime not null, \`answered_at\` datetime null, \`updated_at\` datetime not null, \`version\` integer not null default 1, constraint \`referral_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`referral_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on update cascade, constraint \`referral_from_agency_id_foreign\` foreign key(\`from_agency_id\`) references \`agency\`(\`id\`) on update cascade, constraint \`referral_to_agency_id_foreign\` foreign key(\`to_agency_id\`) references \`agency\`(\`id\`) on update cascade, constraint \`referral_consent_id_foreign\` foreign key(\`consent_id\`) references \`referral_consent\`(\`id\`) on delete set null on update cascade, constraint \`referral_requested_by_id_foreign\` foreign key(\`requested_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`referral_task_force_id_index\` on \`referral\` (\`task_force_id\`);`);
    this.addSql(`create index \`referral_case_summary_id_index\` on \`referral\` (\`case_summary_id\`);`);
    this.addSql(`create index \`referral_from_agency_id_index\` on \`referral\` (\`from_agency_id\`);`);
    this.addSql(`create index \`referral_to_agency_id_index\` on \`referral\` (\`to_agency_id\`);`);
    this.addSql(`create index \`referral_consent_id_index\` on \`referral\` (\`consent_id\`);`);
    this.addSql(`create index \`referral_requested_by_id_index\` on \`referral\` (\`requested_by_id\`);`);
    this.addSql(
      `create index \`referral_to_agency_id_case_summary_id_status_index\` on \`referral\` (\`to_agency_id\`, \`case_summary_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`referral_task_force_id_status_index\` on \`referral\` (\`task_force_id\`, \`status\`);`,
    );

    this.addSql(
      `create table \`hearing\` (\`id\` text not null, \`task_force_id\` text not null, \`case_summary_id\` text not null, \`court\` text not null, \`starts_at\` datetime not null, \`kind\` text check (\`kind\` in ('VICTIM_HEARING', 'TRIAL', 'PRONOUNCEMENT')) not null, \`created_by_id\` text not null, \`created_at\` datetime not null, constraint \`hearing_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`hearing_case_summary_id_foreign\` foreign key(\`case_summary_id\`) references \`case_summary\`(\`id\`) on update cascade, constraint \`hearing_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`hearing_task_force_id_index\` on \`hearing\` (\`task_force_id\`);`);
    this.addSql(`create index \`hearing_case_summary_id_index\` on \`hearing\` (\`case_summary_id\`);`);
    this.addSql(`create index \`hearing_created_by_id_index\` on \`hearing\` (\`created_by_id\`);`);
    this.addSql(
      `create index \`hearing_task_force_id_starts_at_index\` on \`hearing\` (\`task_force_id\`, \`starts_at\`);`,
    );

    this.addSql(
      `create table \`hearing_readiness_item\` (\`id\` text not null, \`hearing_id\` text not null, \`item\` text check (\`item\` in ('SUPPORT_WORKER', 'INTERPRETER', 'LEGAL_AID_LAWYER', 'TESTIMONY_PROTECTION', 'TRANSPORT', 'PUBLICATION_DATA_REQUEST')) not null, \`owner_agency_id\` text not null, \`state\` text check (\`state\` in ('OPEN', 'DONE', 'NOT_NEEDED')) not null default 'OPEN', \`language\` text null, \`updated_by_id\` text null, \`updated_at\` datetime not null, constraint \`hearing_readiness_item_hearing_id_foreign\` foreign key(\`hearing_id\`) references \`hearing\`(\`id\`) on update cascade, constraint \`hearing_readiness_item_owner_agency_id_foreign\` foreign key(\`owner_agency_id\`) references \`agency\`(\`id\`) on update cascade, constraint \`hearing_readiness_item_updated_by_id_foreign\` foreign key(\`updated_by_id\`) references \`member\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`hearing_readiness_item_hearing_id_index\` on \`hearing_readiness_item\` (\`hearing_id\`);`,
    );
    this.addSql(
      `create index \`hearing_readiness_item_owner_agency_id_index\` on \`hearing_readiness_item\` (\`owner_agency_id\`);`,
    );
    this.addSql(
      `create index \`hearing_readiness_item_updated_by_id_index\` on \`hearing_readiness_item\` (\`updated_by_id\`);`,
    );
    this.addSql(
      `create unique index \`hearing_readiness_item_hearing_id_item_unique\` on \`hearing_readiness_item\` (\`hearing_id\`, \`item\`);`,
    );
  }
}
