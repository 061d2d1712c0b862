import type Redis from 'ioredis';

/**
 * Closes an ioredis client: QUIT lets pending commands answer (dropping the connection under them
 * rejects them, which surfaces as unhandled errors in libraries that issued them); a server that does
 * not answer within the grace period gets its connection dropped instead.
 */
export async function closeRedis(client: Redis, graceMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') return void client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  client.disconnect();
}
