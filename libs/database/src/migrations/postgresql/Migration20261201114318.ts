import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114318 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "service_account" ("id" uuid not null, "name" varchar(120) not null, "task_force_id" uuid not null, "agency_id" uuid not null, "member_id" uuid not null, "scopes" jsonb not null, "created_by_id" uuid not null, "disabled_at" timestamptz null, "created_at" timestamptz not null, constraint "service_account_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "service_account_task_force_id_index" on "service_account" ("task_force_id");`);
    this.addSql(
      `alter table "service_account" add constraint "service_account_member_id_unique" unique ("member_id");`,
    );

    this.addSql(
      `create table "api_key" ("id" uuid not null, "service_account_id" uuid not null, "session_id" uuid not null, "prefix" varchar(16) not null, "secret_hash" varchar(64) not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_key_service_account_id_index" on "api_key" ("service_account_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_session_id_unique" unique ("session_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "service_account_id" uuid not null, "url" varchar(2000) not null, "event_types" jsonb not null, "secret" varchar(80) not null, "scanned_cursor" int not null, "failing_since" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" varchar(32) null, "lease_until" timestamptz null, "created_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoint_service_account_id_index" on "webhook_endpoint" ("service_account_id");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" bigserial primary key, "endpoint_id" uuid not null, "message_id" uuid not null, "cursor" int not null, "event_type" varchar(48) not null, "status" varchar(16) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_status_code" int null, "last_error" varchar(120) null, "delivered_at" timestamptz null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_status_cursor_index" on "webhook_delivery" ("endpoint_id", "status", "cursor");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_cursor_unique" unique ("endpoint_id", "cursor");`,
    );

    this.addSql(
      `alter table "service_account" add constraint "service_account_task_force_id_foreign" foreign key ("task_force_id") references "task_force" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_account" add constraint "service_account_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_account" add constraint "service_account_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_service_account_id_foreign" foreign key ("service_account_id") references "service_account" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_session_id_foreign" foreign key ("session_id") references "auth_session" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_service_account_id_foreign" foreign key ("service_account_id") references "service_account" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_key" drop constraint "api_key_service_account_id_foreign";`);

    this.addSql(`alter table "webhook_endpoint" drop constraint "webhook_endpoint_service_account_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "service_account" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
