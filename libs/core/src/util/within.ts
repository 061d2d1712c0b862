/** `work`, or a rejection naming the budget if it has not settled within `ms`: a dependency that does not answer must not hold a request. */
export async function answersWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The token of an `Authorization: Bearer <token>` value, if that is what it is. */
export function bearerToken(value: unknown): string | undefined {
  return typeof value === 'string' ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : undefined;
}
