import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../utils/process';

const SCRIPT = join(ROOT, 'scripts', 'build-stamp.js');
const stamp = (mode: 'check' | 'write', root: string) =>
  spawnSync(process.execPath, [SCRIPT, mode, '--root', root], { encoding: 'utf8' }).status;

function put(root: string, file: string, text = 'x'): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe('`npm start` rebuilds only when something it builds from changed (scripts/build-stamp.js)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hub-stamp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is current after a build, stale after a source, lock file or output change', () => {
    put(root, 'apps/hub/src/main.ts', 'one');
    put(root, 'libs/core/src/index.ts');
    put(root, 'package-lock.json', '{}');
    for (const app of ['hub', 'api', 'gateway', 'cli']) put(root, `dist/apps/${app}/src/main.js`);
    put(root, 'dist/web/index.html');

    expect(stamp('check', root)).toBe(1); // never built with a stamp
    expect(stamp('write', root)).toBe(0);
    expect(stamp('check', root)).toBe(0);

    put(root, 'apps/hub/src/main.ts', 'two');
    expect(stamp('check', root)).toBe(1);
    stamp('write', root);
    put(root, 'libs/core/src/new-file.ts');
    expect(stamp('check', root)).toBe(1);
    stamp('write', root);
    put(root, 'package-lock.json', '{"changed":true}');
    expect(stamp('check', root)).toBe(1);
    stamp('write', root);
    expect(stamp('check', root)).toBe(0);
    rmSync(join(root, 'dist/apps/gateway'), { recursive: true });
    expect(stamp('check', root)).toBe(1);
  });

  it('is current in this checkout right after `npm run build` (which npm test runs first)', () => {
    expect(stamp('check', ROOT)).toBe(0);
  });
});
