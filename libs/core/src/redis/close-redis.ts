import type Redis from 'ioredis';

const within = (ms: number, work: Promise<unknown>) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
};

/**
 * Closes an ioredis client without rejecting commands still in flight (a library that issued them
 * would surface that as an unhandled error): a client still connecting is given the grace period to
 * finish, a ready one QUITs so pending replies arrive, and one whose server is gone is dropped.
 */
export async function closeRedis(client: Redis, graceMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'connecting' || client.status === 'connect') {
    await within(graceMs, new Promise((resolve) => client.once('ready', resolve)));
  }
  if (client.status === 'ready')
    await within(
      graceMs,
      client.quit().catch(() => undefined),
    );
  client.disconnect();
}
