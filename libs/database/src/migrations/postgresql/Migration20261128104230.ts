import { Migration } from '@mikro-orm/migrations';

export class Migration20261128104230 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "agency" ("id" uuid not null, "name" varchar(160) not null, "kind" text check ("kind" in ('POLICE', 'ORGANISED_CRIME_PROSECUTION', 'PROSECUTION', 'COURT', 'BORDER_POLICE', 'LABOUR_INSPECTION', 'SOCIAL_SERVICES', 'VICTIM_SUPPORT_NGO', 'NATIONAL_AGENCY', 'INTERNATIONAL_ORGANISATION', 'OTHER')) not null, "created_at" timestamptz not null, constraint "agency_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "agency" add constraint "agency_name_unique" unique ("name");`);

    this.addSql(
      `create table "audit_record" ("id" bigserial primary key, "at" timestamptz not null, "action" varchar(64) not null, "actor_id" uuid null, "task_force_id" uuid null, "subject_type" varchar(32) null, "subject_id" varchar(64) null, "ip" varchar(64) null, "details" jsonb null);`,
    );
    this.addSql(`create index "audit_record_actor_id_id_index" on "audit_record" ("actor_id", "id");`);
    this.addSql(`create index "audit_record_task_force_id_id_index" on "audit_record" ("task_force_id", "id");`);

    this.addSql(
      `create table "member" ("id" uuid not null, "email" varchar(254) not null, "display_name" varchar(120) not null, "agency_id" uuid not null, "password_hash" varchar(255) not null, "is_platform_admin" boolean not null default false, "disabled_at" timestamptz null, "created_at" timestamptz not null, constraint "member_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "member" add constraint "member_email_unique" unique ("email");`);
    this.addSql(`create index "member_agency_id_index" on "member" ("agency_id");`);

    this.addSql(
      `create table "auth_session" ("id" uuid not null, "member_id" uuid not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(32) null, "ip" varchar(64) null, constraint "auth_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_session_member_id_index" on "auth_session" ("member_id");`);

    this.addSql(
      `create table "refresh_token" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "refresh_token_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refresh_token_session_id_index" on "refresh_token" ("session_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `create table "task_force" ("id" uuid not null, "code" varchar(16) not null, "name" varchar(120) not null, "region" varchar(120) not null, "court_of_appeal" varchar(120) not null, "counties" jsonb not null, "created_at" timestamptz not null, constraint "task_force_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "task_force" add constraint "task_force_code_unique" unique ("code");`);

    this.addSql(
      `create table "membership" ("id" uuid not null, "task_force_id" uuid not null, "member_id" uuid not null, "role" text check ("role" in ('COORDINATOR', 'MEMBER', 'OBSERVER')) not null, "created_at" timestamptz not null, constraint "membership_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "membership_member_id_index" on "membership" ("member_id");`);
    this.addSql(
      `alter table "membership" add constraint "membership_task_force_id_member_id_unique" unique ("task_force_id", "member_id");`,
    );

    this.addSql(
      `alter table "member" add constraint "member_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "auth_session" add constraint "auth_session_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "auth_session" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member" drop constraint "member_agency_id_foreign";`);

    this.addSql(`alter table "auth_session" drop constraint "auth_session_member_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_member_id_foreign";`);

    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_session_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_task_force_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);

    this.addSql(`drop table if exists "audit_record" cascade;`);

    this.addSql(`drop table if exists "member" cascade;`);

    this.addSql(`drop table if exists "auth_session" cascade;`);

    this.addSql(`drop table if exists "refresh_token" cascade;`);

    this.addSql(`drop table if exists "task_force" cascade;`);

    this.addSql(`drop table if exists "membership" cascade;`);
  }
}
