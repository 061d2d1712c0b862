import { Migration } from '@mikro-orm/migrations';

/** The audit trail is append-only in the database file itself: UPDATE and DELETE abort. */
export class Migration20261128104300 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create trigger audit_record_no_update before update on \`audit_record\` begin select raise(abort, 'audit_record is append-only: UPDATE is not allowed'); end;`,
    );
    this.addSql(
      `create trigger audit_record_no_delete before delete on \`audit_record\` begin select raise(abort, 'audit_record is append-only: DELETE is not allowed'); end;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists audit_record_no_update;');
    this.addSql('drop trigger if exists audit_record_no_delete;');
  }
}
