import { numbered } from './sql-rows';

describe('numbered placeholders for PostgreSQL', () => {
  it('numbers each ? in order', () => {
    expect(numbered('select * from t where a = ? and b in (?, ?)')).toBe(
      'select * from t where a = $1 and b in ($2, $3)',
    );
  });

  it('leaves a ? inside a string literal or a quoted identifier alone, doubled quotes included', () => {
    expect(numbered(`select 'why?' as "q?", 'it''s?' from t where a = ?`)).toBe(
      `select 'why?' as "q?", 'it''s?' from t where a = $1`,
    );
  });

  it('gives the same text for the same statement (cached) and nothing to number stays as it is', () => {
    const text = 'select 1 from t where id = ?';
    expect(numbered(text)).toBe(numbered(text));
    expect(numbered('select 1')).toBe('select 1');
  });

  it('refuses what it would misread: ??, the jsonb ?| and ?& operators, comments, dollar quoting', () => {
    for (const text of [
      'select ?? from t',
      "select data ?| array['a'] from t",
      'select 1 -- ?',
      'select /* ? */ 1',
      'select $$?$$',
    ])
      expect(() => numbered(text)).toThrow(/sqlRows: a statement with/);
  });
});
