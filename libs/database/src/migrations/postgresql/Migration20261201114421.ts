import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114421 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "consent_refusal_tally" ("id" uuid not null, "task_force_id" uuid not null, "month" varchar(7) not null, "refused" int not null default 0, constraint "consent_refusal_tally_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "consent_refusal_tally" add constraint "consent_refusal_tally_task_force_id_month_unique" unique ("task_force_id", "month");`,
    );

    this.addSql(
      `create table "referral_consent" ("id" uuid not null, "task_force_id" uuid not null, "case_summary_id" uuid not null, "agency_id" uuid not null, "recorded_by_id" uuid not null, "purposes" jsonb not null, "receivers" jsonb not null, "sections" jsonb not null, "language" varchar(60) not null, "interpreter_used" boolean not null, "explained_points" jsonb not null, "read_back" boolean not null, "minor" boolean not null default false, "legal_basis" varchar(300) null, "guardian_role" varchar(120) null, "given_at" timestamptz not null, "withdrawn_at" timestamptz null, "withdrawn_by_id" uuid null, constraint "referral_consent_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "referral_consent_case_summary_id_agency_id_index" on "referral_consent" ("case_summary_id", "agency_id");`,
    );

    this.addSql(
      `create table "referral" ("id" uuid not null, "task_force_id" uuid not null, "case_summary_id" uuid not null, "from_agency_id" uuid not null, "to_agency_id" uuid not null, "purpose" text check ("purpose" in ('ASSISTANCE', 'SHELTER', 'LEGAL_AID', 'HEALTH', 'INTERPRETATION', 'REPATRIATION', 'COMPENSATION')) not null, "sections" jsonb not null, "urgent" boolean not null default false, "respond_by" timestamptz not null, "status" text check ("status" in ('REQUESTED', 'ACCEPTED', 'DECLINED', 'IN_SERVICE', 'COMPLETED', 'WITHDRAWN', 'CONSENT_WITHDRAWN')) not null default 'REQUESTED', "consent_id" uuid null, "override_reason" varchar(500) null, "decline_reason" varchar(500) null, "requested_by_id" uuid not null, "requested_at" timestamptz not null, "answered_at" timestamptz null, "updated_at" timestamptz not null, "version" int not null default 1, constraint "referral_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "referral_consent_id_index" on "referral" ("consent_id");`);
    this.addSql(
      `create index "referral_to_agency_id_case_summary_id_status_index" on "referral" ("to_agency_id", "case_summary_id", "status");`,
    );
    this.addSql(`create index "referral_task_force_id_status_index" on "referral" ("task_force_id", "status");`);

    this.addSql(
      `create table "hearing" ("id" uuid not null, "task_force_id" uuid not null, "case_summary_id" uuid not null, "court" varchar(200) not null, "starts_at" timestamptz not null, "kind" text check ("kind" in ('VICTIM_HEARING', 'TRIAL', 'PRONOUNCEMENT')) not null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "hearing_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "hearing_task_force_id_starts_at_index" on "hearing" ("task_force_id", "starts_at");`);

    this.addSql(
      `create table "hearing_readiness_item" ("id" uuid not null, "hearing_id" uuid not null, "item" text check ("item" in ('SUPPORT_WORKER', 'INTERPRETER', 'LEGAL_AID_LAWYER', 'TESTIMONY_PROTECTION', 'TRANSPORT', 'PUBLICATION_DATA_REQUEST')) not null, "owner_agency_id" uuid not null, "state" text check ("state" in ('OPEN', 'DONE', 'NOT_NEEDED')) not null default 'OPEN', "language" varchar(60) null, "updated_by_id" uuid null, "updated_at" timestamptz not null, constraint "hearing_readiness_item_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "hearing_readiness_item" add constraint "hearing_readiness_item_hearing_id_item_unique" unique ("hearing_id", "item");`,
    );

    this.addSql(
      `alter table "consent_refusal_tally" add constraint "consent_refusal_tally_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "referral_consent" add constraint "referral_consent_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral_consent" add constraint "referral_consent_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral_consent" add constraint "referral_consent_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral_consent" add constraint "referral_consent_recorded_by_id_foreign" foreign key ("recorded_by_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral_consent" add constraint "referral_consent_withdrawn_by_id_foreign" foreign key ("withdrawn_by_id") references "member" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "referral" add constraint "referral_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_from_agency_id_foreign" foreign key ("from_agency_id") references "agency" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_to_agency_id_foreign" foreign key ("to_agency_id") references "agency" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_consent_id_foreign" foreign key ("consent_id") references "referral_consent" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_requested_by_id_foreign" foreign key ("requested_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "hearing" add constraint "hearing_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "hearing" add constraint "hearing_case_summary_id_foreign" foreign key ("case_summary_id") references "case_summary" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "hearing" add constraint "hearing_created_by_id_foreign" foreign key ("created_by_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "hearing_readiness_item" add constraint "hearing_readiness_item_hearing_id_foreign" foreign key ("hearing_id") references "hearing" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "hearing_readiness_item" add constraint "hearing_readiness_item_owner_agency_id_foreign" foreign key ("owner_agency_id") references "agency" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "hearing_readiness_item" add constraint "hearing_readiness_item_updated_by_id_foreign" foreign key ("updated_by_id") references "member" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "referral" drop constraint "referral_consent_id_foreign";`);

    this.addSql(`alter table "hearing_readiness_item" drop constraint "hearing_readiness_item_hearing_id_foreign";`);

    this.addSql(`drop table if exists "consent_refusal_tally" cascade;`);

    this.addSql(`drop table if exists "referral_consent" cascade;`);

    this.addSql(`drop table if exists "referral" cascade;`);

    this.addSql(`drop table if exists "hearing" cascade;`);

    this.addSql(`drop table if exists "hearing_readiness_item" cascade;`);
  }
}
