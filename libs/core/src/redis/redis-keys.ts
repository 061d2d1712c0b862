/**
 * Every Redis key and channel the hub uses, built here from `REDIS_KEY_PREFIX` (default `hub:`), so two
 * hubs sharing one Redis never read each other's events, presence or counters. Nothing else builds one.
 */
export function redisKeys(prefix: string) {
  return {
    /** Pub/sub channel of the event bus. */
    events: `${prefix}events`,
    /** Channel prefix of the Socket.IO Redis adapter (presence and room operations across instances). */
    socketAdapter: `${prefix}socket.io`,
    /** Mutations of one member in one fixed window. */
    mutationRate: (memberId: string, window: number) => `${prefix}rate:mutations:${memberId}:${window}`,
    /** Requests of one service account in one fixed window. */
    serviceAccountRate: (accountId: string, window: number) => `${prefix}rate:service-account:${accountId}:${window}`,
    /** Sign-in and refresh attempts, per throttler and per tracker (address or account). */
    throttle: (throttlerName: string, key: string) => `${prefix}throttle:${throttlerName}:${key}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
