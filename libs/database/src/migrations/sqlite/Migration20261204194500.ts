import { Migration } from '@mikro-orm/migrations';

/** Where a refresh token was used from: a retry of a lost answer must come from the same address. */
export class Migration20261204194500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` add column \`used_ip\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` drop column \`used_ip\`;`);
  }
}
