import { type GraphQLErrorBody } from './graphql-client';

/** One GraphQL call as it went over the wire: status, raw body, and the parsed body when it was JSON. */
export interface RawResult {
  status: number;
  text: string;
  body: { data?: Record<string, any> | null; errors?: GraphQLErrorBody[]; code?: string; message?: string } | null;
}

/** POST /graphql with any JSON body (variables may be of any shape on purpose). */
export async function rawGraphQL(
  endpoint: string,
  query: string,
  variables: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  });
  const text = await response.text();
  let body: RawResult['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.status, text, body };
}

/** Codes that mean "the server failed", which hostile input must never cause. */
export const SERVER_FAILURE_CODES = ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'];

/** What would betray internals in a message: stack frames, SQL, driver and ORM wording, file paths. */
const INTERNALS = [
  /\bat [\w$.<>]+ \(/,
  /\.(ts|js):\d+/,
  /node_modules/,
  /\bselect\b[\s\S]{0,200}\bfrom\b/i,
  /\binsert into\b/i,
  /\bupdate\b\s+"?\w+"?\s+set\b/i,
  /\bdelete from\b/i,
  /SQLITE_|LIBSQL|sqlite3?/i,
  /\bviolates\b|\bconstraint\b|duplicate key|\bsyntax error at\b|invalid byte sequence|value too long|out of range for type/i,
  /MikroORM|DriverException|QueryFailed|TypeError|ReferenceError|Cannot read propert/i,
];

/** Removes what the client sent from a message, so an echoed value is not taken for server internals. */
function withoutEcho(message: string, sent: string[]): string {
  let text = message;
  for (const value of [...sent].sort((a, b) => b.length - a.length)) {
    if (value.length < 3) continue;
    text = text.split(value).join('');
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) text = text.split(escaped).join('');
  }
  return text;
}

/**
 * The answer to hostile input is a refusal or a success, never a failure: status below 500, a JSON
 * body, every error with a string extensions.code that is not a server failure, and a message free of
 * stack frames and SQL. Returns a description of the first problem, or undefined.
 */
export function problemWith(result: RawResult, sent: string[]): string | undefined {
  if (result.status >= 500) return `HTTP ${result.status}: ${result.text.slice(0, 500)}`;
  if (!result.body) return `not JSON (HTTP ${result.status}): ${result.text.slice(0, 200)}`;
  if (!result.body.errors && result.body.data === undefined) {
    // A plain HTTP refusal before GraphQL (body too large, unreadable JSON): { code, message }.
    if (typeof result.body.code !== 'string' || typeof result.body.message !== 'string')
      return `neither GraphQL nor { code, message }: ${result.text.slice(0, 300)}`;
    if (SERVER_FAILURE_CODES.includes(result.body.code)) return `server failure ${result.body.code}`;
    if (INTERNALS.some((pattern) => pattern.test(withoutEcho(result.body!.message!, sent))))
      return `internals in message: ${result.body.message}`;
    return undefined;
  }
  for (const error of result.body.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') return `error without extensions.code: ${JSON.stringify(error).slice(0, 300)}`;
    if (SERVER_FAILURE_CODES.includes(code)) return `server failure ${code}: ${error.message}`;
    if (typeof error.message !== 'string' || error.message.length === 0)
      return `error without a message: ${JSON.stringify(error)}`;
    const leak = INTERNALS.find((pattern) => pattern.test(withoutEcho(error.message, sent)));
    if (leak) return `internals in message (${leak}): ${error.message.slice(0, 300)}`;
    if ('stacktrace' in (error.extensions ?? {}) || 'exception' in (error.extensions ?? {}))
      return `stack trace in extensions: ${JSON.stringify(error.extensions).slice(0, 300)}`;
  }
  return undefined;
}
