import { Migration } from '@mikro-orm/migrations';

export class Migration20261201114319 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`service_account\` (\`id\` text not null, \`name\` text not null, \`task_force_id\` text not null, \`agency_id\` text not null, \`member_id\` text not null, \`scopes\` json not null, \`created_by_id\` text not null, \`disabled_at\` datetime null, \`created_at\` datetime not null, constraint \`service_account_task_force_id_foreign\` foreign key(\`task_force_id\`) references \`task_force\`(\`id\`) on update cascade, constraint \`service_account_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on update cascade, constraint \`service_account_member_id_foreign\` foreign key(\`member_id\`) references \`member\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`service_account_task_force_id_index\` on \`service_account\` (\`task_force_id\`);`);
    this.addSql(`create index \`service_account_agency_id_index\` on \`service_account\` (\`agency_id\`);`);
    this.addSql(`create unique index \`service_account_member_id_unique\` on \`service_account\` (\`member_id\`);`);

    this.addSql(
      `create table \`api_key\` (\`id\` text not null, \`service_account_id\` text not null, \`session_id\` text not null, \`prefix\` text not null, \`secret_hash\` text not null, \`expires_at\` datetime null, \`revoked_at\` datetime null, \`last_used_at\` datetime null, \`created_at\` datetime not null, constraint \`api_key_service_account_id_foreign\` foreign key(\`service_account_id\`) references \`service_account\`(\`id\`) on update cascade, constraint \`api_key_session_id_foreign\` foreign key(\`session_id\`) references \`auth_session\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`api_key_service_account_id_index\` on \`api_key\` (\`service_account_id\`);`);
    this.addSql(`create unique index \`api_key_session_id_unique\` on \`api_key\` (\`session_id\`);`);
    this.addSql(`create unique index \`api_key_secret_hash_unique\` on \`api_key\` (\`secret_hash\`);`);

    this.addSql(
      `create table \`webhook_endpoint\` (\`id\` text not null, \`service_account_id\` text not null, \`url\` text not null, \`event_types\` json not null, \`secret\` text not null, \`scanned_cursor\` integer not null, \`failing_since\` datetime null, \`disabled_at\` datetime null, \`disabled_reason\` text null, \`lease_until\` datetime null, \`created_at\` datetime not null, constraint \`webhook_endpoint_service_account_id_foreign\` foreign key(\`service_account_id\`) references \`service_account\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`webhook_endpoint_service_account_id_index\` on \`webhook_endpoint\` (\`service_account_id\`);`,
    );

    this.addSql(
      `create table \`webhook_delivery\` (\`id\` integer not null primary key autoincrement, \`endpoint_id\` text not null, \`message_id\` text not null, \`cursor\` integer not null, \`event_type\` text not null, \`status\` text not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`last_status_code\` integer null, \`last_error\` text null, \`delivered_at\` datetime null, \`created_at\` datetime not null, constraint \`webhook_delivery_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoint\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`webhook_delivery_endpoint_id_index\` on \`webhook_delivery\` (\`endpoint_id\`);`);
    this.addSql(
      `create index \`webhook_delivery_endpoint_id_status_cursor_index\` on \`webhook_delivery\` (\`endpoint_id\`, \`status\`, \`cursor\`);`,
    );
    this.addSql(
      `create unique index \`webhook_delivery_endpoint_id_cursor_unique\` on \`webhook_delivery\` (\`endpoint_id\`, \`cursor\`);`,
    );
  }
}
