import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const GENERATED = join(ROOT, 'apps/web/src/api/generated.ts');

/** graphql-codegen's plugins load ESM-only packages that Jest's module system cannot: run the script itself. */
const check = (file?: string) =>
  spawnSync(process.execPath, ['scripts/codegen.js', 'check', ...(file ? [file] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe("the web client's generated operation types", () => {
  it('are what graphql-codegen makes of schema.graphql and the operations today (run `npm run build` and commit)', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('are reported stale when they differ from what the schema and the operations give', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      const stale = join(dir, 'generated.ts');
      writeFileSync(
        stale,
        readFileSync(GENERATED, 'utf8').replace('export type MeetingQuery = ', 'export type Old = '),
      );
      const result = check(stale);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is stale');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
