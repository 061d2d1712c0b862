import http from 'node:http';

/** One keep-alive agent for every request the load generator sends: cheaper than fetch per request. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export class GraphQLError extends Error {}

/** POST /graphql; throws on HTTP or GraphQL errors; returns `data`. */
export async function gql<T = any>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const { status, text } = await post(
    `${baseUrl}/graphql`,
    { query, variables },
    token ? { authorization: `Bearer ${token}` } : {},
  );
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphQLError(`HTTP ${status}: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new GraphQLError(`${body.errors[0].extensions?.code ?? ''} ${body.errors[0].message}`);
  if (status !== 200) throw new GraphQLError(`HTTP ${status}`);
  return body.data as T;
}
