import { TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { serverAudits } from 'graphql-http';
import { gzipSync } from 'node:zlib';
import { IdentityFactory, login, LOGIN, PASSWORD } from '../factories/identity.factory';
import { rejections } from '../utils/metrics-scrape';
import { subscriptionClient } from '../utils/subscription-client';
import { startTestApp, type TestApp } from '../utils/test-app';

/**
 * The security suite, HTTP side: someone with a token (or without) tries to abuse /graphql and the
 * plain routes. Each refusal is checked for its code, a message a person can act on, nothing of the
 * server's internals, and its count in /metrics.
 */

/** Anything of the server's inside that must never reach a client. */
const INTERNALS =
  /stack|node_modules|\.[jt]s:\d+|\bat \S+ \(|select .* from|insert into|update \S+ set|delete from|sqlite|postgres|mikro-?orm|DriverException|SQLSTATE|ECONNREFUSED/i;
const ALLOWED_ORIGIN = 'https://hub.example.org';
const EVIL_ORIGIN = 'https://evil.example';
const ME = '{ me { id } }';

type Signed = Awaited<ReturnType<IdentityFactory['signedIn']>>;

const post = (
  app: TestApp,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => fetch(`${app.url}/graphql`, { method: 'POST', headers, body });

/** `{ me { memberships { taskForce { members { member { … } } } } } }`, `rounds` times over: depth 2 + 4 × rounds. */
function deepMe(rounds: number): string {
  let selection = 'id';
  for (let i = 0; i < rounds; i++) selection = `memberships { taskForce { members { member { ${selection} } } } }`;
  return `{ me { ${selection} } }`;
}

const aliased = (count: number, field = 'me { id }', prefix = 'a') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}: ${field}`).join(' ');

describe('security over HTTP: GraphQL conformance, limits, CSRF, masking, headers and CORS', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let coordinator: Signed;
  let taskForceId: string;

  beforeAll(async () => {
    app = await startTestApp({
      CORS_ORIGINS: ALLOWED_ORIGIN,
      MUTATION_RATE_LIMIT: '5',
      MUTATION_RATE_WINDOW_SECONDS: '3600',
    });
    make = new IdentityFactory(app);
    const taskForce = await make.taskForce();
    taskForceId = taskForce.id;
    coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR);
  });
  afterAll(() => app.close());

  const ask = (query: string, variables: Record<string, unknown> = {}) =>
    app.gql.request(query, variables, { token: coordinator.token });

  describe('graphql-http server audits against the running hub', () => {
    it('passes every MUST audit of the GraphQL-over-HTTP spec (SHOULD and MAY results are printed for the record)', async () => {
      const audits = serverAudits({ url: `${app.url}/graphql`, fetchFn: fetch });
      const results = [];
      for (const audit of audits) results.push(await audit.fn());
      const failedMust = results
        .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
        .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
      const tally: Record<string, number> = {};
      for (const r of results)
        tally[`${r.name.split(' ')[0]} ${r.status}`] = (tally[`${r.name.split(' ')[0]} ${r.status}`] ?? 0) + 1;
      const notOk = results
        .filter((r) => r.status !== 'ok')
        .map((r) => `${r.status} ${r.name}: ${'reason' in r ? r.reason : ''}`);
      console.log(`graphql-http audits: ${JSON.stringify(tally)}\n${notOk.join('\n')}`);
      expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(10);
      expect(failedMust).toEqual([]);
    });
  });

  describe('operation limits (depth, aliases, directives, cost, tokens)', () => {
    it('refuses a query deeper than 12 as a validation error naming the limit, counts it, and serves a legitimate nested query', async () => {
      const before = await rejections(app.url);
      const refused = await ask(deepMe(4));
      expect(refused).toMatchObject({
        status: 400,
        errors: [
          { message: expect.stringMatching(/depth limit of 12/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        ],
      });
      expect(refused.data).toBeUndefined();
      expect((await rejections(app.url))('query_depth')).toBe(before('query_depth') + 1);
      const allowed = await ask(deepMe(2));
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data.me.memberships[0].taskForce.members.length).toBeGreaterThan(0);
    });

    it('refuses more than 20 aliases (nested ones count too), and lets __typename aliases through', async () => {
      const before = await rejections(app.url);
      expect(await ask(`{ ${aliased(21)} }`)).toMatchObject({
        status: 400,
        errors: [
          { message: expect.stringMatching(/aliases limit of 20/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        ],
      });
      expect(await ask(`{ me { ${aliased(15, 'id')} memberships { ${aliased(15, 'id', 'b')} } } }`)).toMatchObject({
        status: 400,
        errors: [{ message: expect.stringMatching(/aliases limit/i) }],
      });
      expect((await rejections(app.url))('query_aliases')).toBe(before('query_aliases') + 2);
      expect(
        Object.keys((await app.gql.data(`{ ${aliased(20)} }`, {}, { token: coordinator.token })) as object),
      ).toHaveLength(20);
      const typenames = await app.gql.data(
        `{ me { id ${aliased(100, '__typename', 't')} } }`,
        {},
        { token: coordinator.token },
      );
      expect(typenames.me.t99).toBe('Member');
    });

    it('refuses more than 20 directives on one operation', async () => {
      const before = await rejections(app.url);
      const refused = await ask(`{ me { id ${Array.from({ length: 21 }, () => '@include(if: true)').join(' ')} } }`);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]).toEqual({
        message: expect.stringMatching(/directives limit of 20/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expect((await rejections(app.url))('query_directives')).toBe(before('query_directives') + 1);
    });

    it('refuses by cost what no depth or alias limit sees: a huge `first`, and a fragment bomb that doubles at each level', async () => {
      const before = await rejections(app.url);
      const hugeFirst = await ask(
        'query($tf: ID!) { actionItems(taskForceId: $tf, first: 100000000) { nodes { id title } } }',
        { tf: taskForceId },
      );
      expect(hugeFirst).toMatchObject({
        status: 400,
        errors: [
          {
            message: expect.stringMatching(/cost limit of 300000/i),
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
      // Each fragment spreads the one below twice: 2^8 copies of the innermost selection, at depth 3 only.
      const fragments = [
        'fragment F0 on Member { id email displayName memberships { role taskForce { id code name } } }',
      ];
      for (let i = 1; i <= 8; i++)
        fragments.push(
          `fragment F${i} on Member { ...F${i - 1} memberships { taskForce { members { member { ...F${i - 1} } } } } }`,
        );
      const bomb = await ask(`{ me { ...F8 } } ${fragments.join(' ')}`);
      expect(bomb.status).toBe(400);
      expect(bomb.errors?.map((e) => e.message).join(' ')).toMatch(/cost limit of 300000 exceeded/i);
      expect(bomb.data).toBeUndefined();
      const after = await rejections(app.url);
      expect(after('query_cost')).toBeGreaterThanOrEqual(before('query_cost') + 1);
      // The bomb is refused by its first error's limit (depth here); both are counted as refusals.
      expect(after('query_cost') + after('query_depth')).toBe(before('query_cost') + before('query_depth') + 2);
    });

    it('refuses a document of more than 5000 tokens before validating it, saying so', async () => {
      const refused = await ask(`{ me { ${Array.from({ length: 6000 }, () => 'id').join(' ')} } }`);
      expect(refused).toMatchObject({
        status: 400,
        errors: [{ message: expect.stringMatching(/5000 tokens/i), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
      });
    });

    it('counts a document refused by the token limit as query_tokens in /metrics (LIMIT_REASONS has the reason)', async () => {
      const before = await rejections(app.url);
      await ask(`{ me { ${Array.from({ length: 6000 }, () => 'id').join(' ')} } }`);
      // A parse error, not a validation error: the reason must still name the token limit.
      expect((await rejections(app.url))('query_tokens')).toBe(before('query_tokens') + 1);
    });

    it('survives a field-merging bomb (1000 copies of one field, under the token limit): refused, and the hub answers the next request', async () => {
      const refused = await ask(`{ me { ${Array.from({ length: 1000 }, () => 'id').join(' ')} } }`);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await app.gql.data(ME, {}, { token: coordinator.token })).me.id).toBe(coordinator.member.id);
    });

    it('refuses fragment cycles', async () => {
      const refused = await ask('{ me { ...A } } fragment A on Member { id ...B } fragment B on Member { ...A }');
      expect(refused).toMatchObject({
        status: 400,
        errors: [
          {
            message: expect.stringMatching(/cannot spread fragment/i),
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
    });
  });

  describe('batching, body size and CSRF', () => {
    it('refuses a batched (array) request without running any of its operations', async () => {
      const other = await login(app, coordinator.member.email);
      const response = await post(app, JSON.stringify([{ query: 'mutation { logout }' }, { query: ME }]), {
        'content-type': 'application/json',
        authorization: `Bearer ${other.accessToken}`,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.stringMatching(/batching disabled/i), extensions: { code: 'BAD_REQUEST' } }],
      });
      // The logout in the batch did not happen.
      expect((await app.gql.data(ME, {}, { token: other.accessToken })).me.id).toBe(coordinator.member.id);
    });

    it('answers a body over 512 KB with 413 PAYLOAD_TOO_LARGE as { code, message }, compressed or not, and counts it', async () => {
      const before = await rejections(app.url);
      const big = JSON.stringify({ query: ME, variables: { pad: 'x'.repeat(600 * 1024) } });
      for (const [body, headers] of [
        [big, { 'content-type': 'application/json' }],
        // 5 MB that compresses to a few KB: the limit applies to what it inflates to.
        [
          gzipSync(JSON.stringify({ query: ME, variables: { pad: 'x'.repeat(5 * 1024 * 1024) } })),
          { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        ],
      ] as [string | Buffer, Record<string, string>][]) {
        const response = await post(app, body, { ...headers, authorization: `Bearer ${coordinator.token}` });
        expect(response.status).toBe(413);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const answer = (await response.json()) as { code: string; message: string };
        expect(answer).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/larger than 512 KB/) });
      }
      expect((await rejections(app.url))('body_too_large')).toBe(before('body_too_large') + 2);
      // Under the limit is an ordinary request.
      const fits = await post(
        app,
        JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(400 * 1024) } }),
      );
      expect(fits.status).toBe(200);
    });

    it('blocks simple (CSRF-able) requests: GET without a preflight header, and POST as text/plain, form or multipart, running nothing', async () => {
      const csrf = {
        status: 400,
        body: {
          errors: [
            { message: expect.stringMatching(/Cross-Site Request Forgery/), extensions: { code: 'BAD_REQUEST' } },
          ],
        },
      };
      const get = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
      expect({ status: get.status, body: await get.json() }).toEqual(csrf);
      const session = await login(app, coordinator.member.email);
      const logout = JSON.stringify({ query: 'mutation { logout }' });
      const form = new FormData();
      form.set('operations', logout);
      for (const [body, contentType] of [
        [logout, 'text/plain'],
        [`query=${encodeURIComponent('mutation { logout }')}`, 'application/x-www-form-urlencoded'],
      ]) {
        const response = await post(app, body, {
          'content-type': contentType,
          authorization: `Bearer ${session.accessToken}`,
        });
        expect({ contentType, status: response.status, body: await response.json() }).toEqual({ contentType, ...csrf });
      }
      const multipart = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      expect({ status: multipart.status, body: await multipart.json() }).toEqual(csrf);
      expect((await app.gql.data(ME, {}, { token: session.accessToken })).me.id).toBe(coordinator.member.id);
      // With the preflight header a GET query works; a mutation over GET never does.
      const preflighted = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
      const mutationByGet = await fetch(`${app.url}/graphql?query=${encodeURIComponent('mutation { logout }')}`, {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${session.accessToken}` },
      });
      expect(mutationByGet.status).toBe(405);
      expect((await app.gql.data(ME, {}, { token: session.accessToken })).me.id).toBe(coordinator.member.id);
    });

    it('serves no landing page or sandbox on GET /graphql, whatever the browser accepts', async () => {
      for (const headers of [
        { accept: 'text/html' },
        { accept: 'text/html', 'apollo-require-preflight': 'true' },
      ] as Record<string, string>[]) {
        const response = await fetch(`${app.url}/graphql`, { headers });
        expect(response.headers.get('content-type')).not.toMatch(/html/);
        expect(await response.text()).not.toMatch(/<html|sandbox|embeddable|apollographql\.com|cdn\./i);
      }
    });
  });

  describe('per-member mutation limit cannot be dodged in one request', () => {
    it('counts every mutation field of a request: of 8 aliased mutations the 6th is refused RATE_LIMITED (retryAfterSeconds) and none after it runs', async () => {
      const member = await make.signedIn(await make.taskForce(), TaskForceRole.MEMBER);
      const before = await rejections(app.url);
      const result = await app.gql.request(
        `mutation { ${aliased(8, 'revokeCalendarFeed', 'r')} }`,
        {},
        { token: member.token },
      );
      // Mutations run one after another; the refused one is non-null, so the operation stops there.
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({
          path: ['r5'],
          message: expect.stringMatching(/too many changes.*wait \d+ seconds/i),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number), limit: 'mutations' },
        }),
      ]);
      expect((await rejections(app.url))('mutation_rate_limited')).toBe(before('mutation_rate_limited') + 1);
      // The budget is spent: the next single mutation is refused too. Reads are not limited; another member is not affected.
      expect(
        (await app.gql.error('mutation { revokeCalendarFeed }', {}, { token: member.token })).extensions?.code,
      ).toBe('RATE_LIMITED');
      expect((await app.gql.data(ME, {}, { token: member.token })).me.id).toBe(member.member.id);
      expect(
        (await app.gql.data('mutation { revokeCalendarFeed }', {}, { token: coordinator.token })).revokeCalendarFeed,
      ).toBe(false);
    });
  });

  describe('masked errors', () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64url');

    it('answers forged pagination cursors and injection attempts in query arguments with BAD_USER_INPUT or data, never an internal error or SQL', async () => {
      const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
      const zero = '00000000-0000-0000-0000-000000000000';
      const attempts: [string, string, Record<string, unknown>, string][] = [
        [
          'audit cursor, huge id',
          'query($a: String) { auditRecords(first: 5, after: $a) { nodes { id } } }',
          { a: cursor('audit:999999999999999') },
          admin.token,
        ],
        [
          'audit cursor, SQL',
          'query($a: String) { auditRecords(first: 5, after: $a) { nodes { id } } }',
          { a: cursor("audit:1' or '1'='1") },
          admin.token,
        ],
        [
          'audit cursor, garbage',
          'query($a: String) { auditRecords(first: 5, after: $a) { nodes { id } } }',
          { a: '%%%' },
          admin.token,
        ],
        [
          'meeting cursor, year 9999',
          'query($tf: ID!, $a: String) { meetings(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`meeting:9999-12-31T23:59:59.999Z|${zero}`) },
          coordinator.token,
        ],
        [
          'meeting cursor, year 275760',
          'query($tf: ID!, $a: String) { meetings(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`meeting:+275760-09-13T00:00:00.000Z|${zero}`) },
          coordinator.token,
        ],
        [
          'meeting cursor, year -271821',
          'query($tf: ID!, $a: String) { meetings(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`meeting:-271821-04-20T00:00:00Z|${zero}`) },
          coordinator.token,
        ],
        [
          'meeting cursor, SQL',
          'query($tf: ID!, $a: String) { meetings(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`meeting:2026-01-01' or 1=1 --|${zero}`) },
          coordinator.token,
        ],
        [
          'action item cursor, impossible date',
          'query($tf: ID!, $a: String) { actionItems(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`action:9999-99-99|${zero}`) },
          coordinator.token,
        ],
        [
          'action item cursor, an id of dashes (not a UUID PostgreSQL reads)',
          'query($tf: ID!, $a: String) { actionItems(taskForceId: $tf, first: 5, after: $a) { nodes { id } } }',
          { tf: taskForceId, a: cursor(`action:2026-01-01|${'-'.repeat(36)}`) },
          coordinator.token,
        ],
        [
          'task force id, SQL',
          'query($id: ID!) { taskForce(id: $id) { id } }',
          { id: "1' or '1'='1" },
          coordinator.token,
        ],
        [
          'meeting id, path traversal',
          'query($id: ID!) { meeting(id: $id) { id } }',
          { id: '../../etc/passwd' },
          coordinator.token,
        ],
        [
          'case summary id, NUL byte',
          'query($id: ID!) { caseSummary(id: $id) { id } }',
          { id: `${zero}\u0000` },
          coordinator.token,
        ],
      ];
      const internal: unknown[] = [];
      for (const [what, query, variables, token] of attempts) {
        const result = await app.gql.request(query, variables, { token });
        expect({ what, leaked: JSON.stringify(result).match(INTERNALS)?.[0] ?? null }).toEqual({ what, leaked: null });
        for (const error of result.errors ?? []) {
          if (!['BAD_USER_INPUT', 'NOT_FOUND'].includes(String(error.extensions?.code))) internal.push({ what, error });
        }
      }
      // An unexpected error would be masked, but it is the client's mistake: it should be told which input is wrong.
      expect(internal).toEqual([]);
    });

    it('answers broken requests on plain routes as { code, message } without internals', async () => {
      const cases: [string, RequestInit, number, string][] = [
        [
          '/graphql',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me' },
          400,
          'BAD_REQUEST',
        ],
        ['/no-such-route.php', {}, 404, 'NOT_FOUND'],
        [
          '/meetings/..%2f..%2fetc%2fpasswd/minutes.md',
          { headers: { authorization: `Bearer ${coordinator.token}` } },
          400,
          'BAD_USER_INPUT',
        ],
        ['/meetings/00000000-0000-0000-0000-000000000000/minutes.md', {}, 401, 'UNAUTHENTICATED'],
        ['/calendar/..%2f..%2fsecrets.json.ics', {}, 404, 'NOT_FOUND'],
      ];
      for (const [path, init, status, code] of cases) {
        const response = await fetch(`${app.url}${path}`, init);
        const text = await response.text();
        expect({ path, status: response.status, body: JSON.parse(text) }).toEqual({
          path,
          status,
          body: expect.objectContaining({ code, message: expect.any(String) }),
        });
        expect(text).not.toMatch(INTERNALS);
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });
  });

  describe('headers, caching and CORS', () => {
    it('sends the security headers and Cache-Control: no-store on GraphQL answers, refusals, health and metrics', async () => {
      const responses = {
        'POST /graphql': await post(app, JSON.stringify({ query: ME }), {
          'content-type': 'application/json',
          authorization: `Bearer ${coordinator.token}`,
        }),
        'POST /graphql refused': await post(app, JSON.stringify({ query: ME })),
        'GET /health/ready': await fetch(`${app.url}/health/ready`),
        'GET /metrics': await fetch(`${app.url}/metrics`),
        'GET unknown': await fetch(`${app.url}/wp-admin`),
      };
      for (const [what, response] of Object.entries(responses)) {
        const h = (name: string) => response.headers.get(name);
        expect({
          what,
          cacheControl: /(^|,\s*)no-store(,|$)/.test(h('cache-control') ?? ''),
          nosniff: h('x-content-type-options'),
          frame: h('x-frame-options'),
          hsts: h('strict-transport-security'),
          referrer: h('referrer-policy'),
          poweredBy: h('x-powered-by'),
        }).toEqual({
          what,
          cacheControl: true,
          nosniff: 'nosniff',
          frame: 'SAMEORIGIN',
          hsts: expect.stringMatching(/max-age=\d{7,}/),
          referrer: 'no-referrer',
          poweredBy: null,
        });
        expect(h('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'self'.*object-src 'none'/);
      }
    });

    it('allows cross-origin calls only from CORS_ORIGINS: preflight, GraphQL and the Socket.IO handshake', async () => {
      const preflight = (origin: string) =>
        fetch(`${app.url}/graphql`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,authorization',
          },
        });
      const allowed = await preflight(ALLOWED_ORIGIN);
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const evil = await preflight(EVIL_ORIGIN);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();

      for (const [origin, expected] of [
        [ALLOWED_ORIGIN, ALLOWED_ORIGIN],
        [EVIL_ORIGIN, null],
        ['null', null],
        [`${ALLOWED_ORIGIN}.evil.example`, null],
      ] as const) {
        const graphql = await post(app, JSON.stringify({ query: ME }), {
          'content-type': 'application/json',
          origin,
          authorization: `Bearer ${coordinator.token}`,
        });
        expect({ origin, acao: graphql.headers.get('access-control-allow-origin') }).toEqual({
          origin,
          acao: expected,
        });
        const handshake = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
        expect({ origin, socketIo: handshake.headers.get('access-control-allow-origin') }).toEqual({
          origin,
          socketIo: expected,
        });
      }
    });
  });
});

describe('security over HTTP: sign-in and refresh limits', () => {
  let app: TestApp;
  let make: IdentityFactory;

  beforeAll(async () => {
    // TRUST_PROXY stays 0 (the default): X-Forwarded-For is the client's word and must not count.
    app = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '600' });
    make = new IdentityFactory(app);
  });
  afterAll(() => app.close());

  it('limits refreshToken per address: the fourth attempt is refused even with a valid token, which stays usable later', async () => {
    const member = await make.member();
    const tokens = await login(app, member.email); // one sign-in: the login limit has 2 left for this address
    const REFRESH = 'mutation($t: String!) { refreshToken(token: $t) { accessToken } }';
    for (let i = 0; i < 3; i++)
      expect((await app.gql.error(REFRESH, { t: `guess-${i}-${'x'.repeat(40)}` })).extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    const limited = await app.gql.request(REFRESH, { t: tokens.refreshToken });
    expect(limited.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/too many sign-in attempts/i),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(limited.data).toBeNull();
    // Refused before it ran: the token was not spent (a spent one would have ended the session).
    expect((await app.gql.data(ME, {}, { token: tokens.accessToken })).me.id).toBe(member.id);
  });

  it('gives no extra guesses to many logins aliased in one request, and is not dodged by a forged X-Forwarded-For', async () => {
    const member = await make.member();
    const fields = Array.from(
      { length: 6 },
      (_, i) => `l${i}: login(email: "${member.email}", password: "wrong ${i}") { accessToken }`,
    ).join(' ');
    const result = await app.gql.request(`mutation { ${fields} }`);
    // The first refusal (a non-null field) ends the operation: one guess per request, whatever it asks.
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await app.em().count(AuditRecord, { action: 'auth.login.failed', actorId: member.id })).toBe(1);

    // Spend what is left of this address's budget (the previous test signed in once).
    const codes: unknown[] = [];
    while (codes.at(-1) !== 'RATE_LIMITED' && codes.length < 5)
      codes.push(
        (await app.gql.error(LOGIN, { email: `nobody${codes.length}@test.local`, password: 'x' })).extensions?.code,
      );
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    const before = await rejections(app.url);
    // The right password of a fresh account "from another address" (a header anyone can send) is still this address.
    const fresh = await make.member();
    for (let i = 1; i <= 3; i++) {
      const forged = await app.gql.request(
        LOGIN,
        { email: fresh.email, password: PASSWORD },
        { headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` } },
      );
      expect(forged.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    }
    expect((await rejections(app.url))('rate_limited')).toBe(before('rate_limited') + 3);
  });
});

describe('security over HTTP: introspection and suggestions are set explicitly, on every transport', () => {
  const INTROSPECT = '{ __schema { types { name } } }';
  const TYPE = '{ __type(name: "Member") { fields { name } } }';
  const TYPO = '{ mee { id } }';

  async function check(env: Record<string, string>) {
    const app = await startTestApp(env);
    try {
      const make = new IdentityFactory(app);
      const { token } = await make.signedIn(await make.taskForce(), TaskForceRole.MEMBER);
      const http = {
        schema: await app.gql.request(INTROSPECT, {}, { token }),
        type: await app.gql.request(TYPE, {}, { token }),
        typo: await app.gql.request(TYPO, {}, { token }),
      };
      // The same operations over graphql-ws (queries are allowed there too).
      const ws = subscriptionClient(app.url, token);
      const overWs = async (query: string) => {
        const results: unknown[] = [];
        await new Promise<void>((resolve) =>
          ws.subscribe(
            { query },
            {
              next: (r) => void results.push(r),
              error: (e) => (results.push({ error: e }), resolve()),
              complete: resolve,
            },
          ),
        );
        return JSON.stringify(results);
      };
      const socket = { schema: await overWs(INTROSPECT), type: await overWs(TYPE), typo: await overWs(TYPO) };
      await ws.dispose();
      return { http, socket };
    } finally {
      await app.close();
    }
  }

  it('NODE_ENV=production turns both off in the hub config, although this process runs with NODE_ENV=test (Apollo would guess on)', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const { http, socket } = await check({ NODE_ENV: 'production' });
    expect(http.schema).toMatchObject({
      status: 400,
      errors: [{ message: expect.stringMatching(/introspection/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    expect(http.type).toMatchObject({ status: 400, errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(http.typo.errors?.[0].message).toMatch(/Cannot query field "mee"/);
    expect(http.typo.errors?.[0].message).not.toMatch(/did you mean/i);
    // graphql-ws validates with its own rules: the switches must hold there too.
    expect({
      schema: socket.schema.includes('"Member"'),
      type: socket.type.includes('"email"'),
      suggestion: /did you mean/i.test(socket.typo),
    }).toEqual({ schema: false, type: false, suggestion: false });
  });

  it('GRAPHQL_INTROSPECTION=false and GRAPHQL_SUGGESTIONS=false turn them off outside production, on HTTP and graphql-ws', async () => {
    const { http, socket } = await check({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SUGGESTIONS: 'false' });
    expect(http.schema.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(http.schema.data).toBeUndefined();
    expect(http.typo.errors?.[0].message).not.toMatch(/did you mean/i);
    expect({
      schema: socket.schema.includes('"Member"'),
      type: socket.type.includes('"email"'),
      suggestion: /did you mean/i.test(socket.typo),
    }).toEqual({ schema: false, type: false, suggestion: false });
  });

  it('leaves both on by default outside production (development), so the switch above is what turned them off', async () => {
    const { http } = await check({});
    expect(JSON.stringify(http.schema.data)).toContain('"Member"');
    expect(http.typo.errors?.[0].message).toMatch(/did you mean "me"/i);
  });
});
