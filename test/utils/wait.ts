/**
 * The one way a test waits: poll a condition, never a bare sleep before an assertion. No Jest in
 * here, so anything under test/ (and the process suites' helpers) can use it.
 */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** 5 s unless told. */
  timeoutMs?: number;
  /** How often to look again; raise it for checks that query a database. */
  everyMs?: number;
  /** The state to print when it gives up (a string as is, anything else as JSON). */
  state?: () => unknown;
}

/**
 * Polls `check` until it holds and resolves with how long that took (ms); after `timeoutMs` it
 * rejects with `what` was awaited and the last `state`.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 5_000, everyMs = 15, state }: WaitOptions = {},
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      const last = state?.();
      const shown = last === undefined ? '' : `; state: ${typeof last === 'string' ? last : JSON.stringify(last)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${shown}`);
    }
    await sleep(everyMs);
  }
}
