import { spawnSync } from 'node:child_process';

/**
 * Runs Prometheus' own checker (Debian's `prometheus` package ships it; `.ci/run` installs it). Missing,
 * it fails the suite with the fix rather than skipping: a metric Prometheus refuses is a broken scrape.
 */
export function promtool(args: string[], input?: string): { code: number | null; output: string } {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error('promtool is missing: apt-get install --no-install-recommends prometheus (.ci/run does)');
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
