export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** GraphQL over real HTTP, as any client would call the hub. */
export class GraphQLClient {
  constructor(readonly endpoint: string) {}

  async request<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse<T>;
    return { ...body, status: response.status };
  }

  /** For calls that must succeed: fails the test with the server's errors otherwise. */
  async data<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const result = await this.request<T>(query, variables, options);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL call failed: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** For calls that must fail: the first error, or a test failure if there was none. */
  async error(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLErrorBody> {
    const result = await this.request(query, variables, options);
    if (!result.errors?.length) throw new Error(`Expected an error, got ${JSON.stringify(result.data)}`);
    return result.errors[0];
  }
}
