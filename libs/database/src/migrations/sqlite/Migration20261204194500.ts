import { Migration } from '@mikro-orm/migrations';

/** Where a refresh token was used from, and a session's last rotation: what a retry of a lost answer must match. */
export class Migration20261204194500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` add column \`used_ip\` text null;`);
    this.addSql(`alter table \`auth_session\` add column \`last_refresh_id\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` drop column \`used_ip\`;`);
    this.addSql(`alter table \`auth_session\` drop column \`last_refresh_id\`;`);
  }
}
