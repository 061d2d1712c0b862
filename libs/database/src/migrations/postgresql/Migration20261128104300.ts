import { Migration } from '@mikro-orm/migrations';

/** The audit trail is append-only in the database itself, whoever connects: UPDATE, DELETE and TRUNCATE fail. */
export class Migration20261128104300 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function audit_record_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_record is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;`);
    this.addSql(
      `create trigger audit_record_no_update_delete before update or delete on "audit_record" for each row execute function audit_record_append_only();`,
    );
    this.addSql(
      `create trigger audit_record_no_truncate before truncate on "audit_record" for each statement execute function audit_record_append_only();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_record_no_truncate on "audit_record";`);
    this.addSql(`drop trigger if exists audit_record_no_update_delete on "audit_record";`);
    this.addSql(`drop function if exists audit_record_append_only();`);
  }
}
