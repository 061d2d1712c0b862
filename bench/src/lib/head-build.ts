import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtEntry, ROOT, setAppRoot, TMP } from './procs';
import { log } from './util';

/**
 * The last commit, built in a private folder (bench/results/tmp/head) and made the app root, so that
 * uncommitted work in progress elsewhere in the checkout neither breaks nor changes the figures
 * (BENCH_TREE=head), or so that it can be set against the working tree's build (experiments/ab-graphql).
 * Built again only when HEAD moved. Returns what to note about the build.
 */
export function buildHead(): string {
  const dir = join(TMP, 'head');
  const commit = execSync('git rev-parse HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
  const stampFile = join(dir, '.commit');
  const note = `HEAD ${commit.slice(0, 8)} built privately (BENCH_TREE=head)`;
  setAppRoot(dir);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === commit && existsSync(builtEntry('hub'))) {
    log(`HEAD ${commit.slice(0, 8)} already built in ${dir}`);
    return note;
  }
  log(`building HEAD ${commit.slice(0, 8)} in ${dir}`);
  execSync(
    `rm -rf "${dir}" && mkdir -p "${dir}" && git archive HEAD apps libs package.json nest-cli.json tsconfig.json tsconfig.build.json | tar -x -C "${dir}" && ln -s "${join(ROOT, 'node_modules')}" "${dir}/node_modules"`,
    { cwd: ROOT, stdio: 'inherit' },
  );
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build', 'hub'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building HEAD failed');
  writeFileSync(stampFile, commit);
  return note;
}
