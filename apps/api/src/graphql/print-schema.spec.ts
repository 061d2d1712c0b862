import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printHubSchema } from './print-schema';

describe('the committed schema.graphql', () => {
  it('is what the code-first models print today (run `npm run build` and commit schema.graphql)', async () => {
    const committed = readFileSync(join(__dirname, '../../../../schema.graphql'), 'utf8');
    const current = await printHubSchema();
    expect(current.startsWith('# The hub')).toBe(true);
    expect(current).toContain('type Query {');
    expect(committed).toBe(current);
  }, 30_000);
});
