/**
 * GraphQL over HTTP, as any client of the hub calls it: POST /graphql with a JSON body and the
 * access token as `Authorization: Bearer …`. Errors keep the server's `extensions` so a screen can
 * put a refusal next to the field it names.
 */

/** A typed operation: the document, and (as phantom types) what it takes and returns. */
export interface Operation<TData, TVariables> {
  readonly document: string;
  readonly __types?: (variables: TVariables) => TData;
}

export function operation<TData, TVariables = Record<string, never>>(document: string): Operation<TData, TVariables> {
  return { document };
}

/** What graphql-codegen generates for each document (generated.ts): the text, typed by its result and variables. */
export interface TypedDocument<TData, TVariables> {
  toString(): string;
  __apiType?: (variables: TVariables) => TData;
}

/** An operation from a generated document: its types come from schema.graphql, not from hand-written ones. */
export function generated<TData, TVariables>(document: TypedDocument<TData, TVariables>): Operation<TData, TVariables> {
  return { document: document.toString() };
}

export interface ErrorExtensions {
  code?: string;
  field?: string;
  identifier?: string;
  currentVersion?: number;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** A refusal from the server (or the network), with the code a screen decides on. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: ErrorExtensions = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get field(): string | undefined {
    return this.extensions.field;
  }
}

export const NETWORK_ERROR = 'NETWORK_ERROR';

interface Body<T> {
  data?: T | null;
  errors?: { message: string; extensions?: ErrorExtensions }[];
}

export async function post<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  token: string | null,
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: op.document, variables }),
    });
  } catch {
    throw new ApiError('The hub cannot be reached.', NETWORK_ERROR);
  }
  let body: Body<TData>;
  try {
    body = (await response.json()) as Body<TData>;
  } catch {
    throw new ApiError(
      `The hub answered ${response.status}.`,
      response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_RESPONSE',
    );
  }
  const first = body.errors?.[0];
  if (first)
    throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.extensions ?? {});
  if (!body.data) throw new ApiError('The hub sent no data.', 'BAD_RESPONSE');
  return body.data;
}
