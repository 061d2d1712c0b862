import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

type Env = Record<string, string | undefined>;

const SECRET = 'x'.repeat(32);
const POSTGRES_URL = 'postgres://hub:secret@db.example.org:5432/hub';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hub-config-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Always an explicit env with a temporary DATA_DIR, never process.env or ./data. */
function load(extra: Env = {}) {
  return loadConfig({ DATA_DIR: dataDir, ...extra });
}

function configError(extra: Env): ConfigError {
  let caught: unknown;
  try {
    load(extra);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

function expectConfigError(extra: Env, variable: string, mentions?: string): ConfigError {
  const error = configError(extra);
  expect(error.variable).toBe(variable);
  expect(error.message.startsWith(variable)).toBe(true);
  if (mentions !== undefined) expect(error.message).toContain(mentions);
  return error;
}

describe('defaults (embedded mode)', () => {
  test('SQLite file under DATA_DIR, port 3000, host 127.0.0.1', () => {
    const config = load();
    expect(config.dataDir).toBe(dataDir);
    expect(config.database).toEqual({ dialect: 'sqlite', file: join(dataDir, 'hub.sqlite') });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.production).toBe(false);
  });

  test('migrates on start and loads demo data', () => {
    const config = load();
    expect(config.migrateOnStart).toBe(true);
    expect(config.demoData).toBe(true);
  });

  test('no Redis, no CORS origins, no demo password', () => {
    const config = load();
    expect(config.redisUrl).toBeUndefined();
    expect(config.corsOrigins).toEqual([]);
    expect(config.demoPassword).toBeUndefined();
  });

  test('an explicit env ignores process.env', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    try {
      expect(load().port).toBe(3000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('non-embedded modes do not migrate or load demo data implicitly', () => {
  test('DATABASE_URL postgres', () => {
    const config = load({ DATABASE_URL: POSTGRES_URL });
    expect(config.migrateOnStart).toBe(false);
    expect(config.demoData).toBe(false);
  });

  test('NODE_ENV=production (SQLite)', () => {
    const config = load({ NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(config.production).toBe(true);
    expect(config.database.dialect).toBe('sqlite');
    expect(config.migrateOnStart).toBe(false);
    expect(config.demoData).toBe(false);
  });

  test('explicit MIGRATE_ON_START / DEMO_DATA override the default', () => {
    const config = load({ DATABASE_URL: POSTGRES_URL, MIGRATE_ON_START: 'true', DEMO_DATA: 'yes' });
    expect(config.migrateOnStart).toBe(true);
    expect(config.demoData).toBe(true);
    const embedded = load({ MIGRATE_ON_START: 'off', DEMO_DATA: '0' });
    expect(embedded.migrateOnStart).toBe(false);
    expect(embedded.demoData).toBe(false);
  });
});

describe('PORT', () => {
  test("a deployable's own default applies only when PORT is unset (the gateway's 3001)", () => {
    expect(loadConfig({ DATA_DIR: dataDir }, { port: 3001 }).port).toBe(3001);
    expect(loadConfig({ DATA_DIR: dataDir, PORT: '4000' }, { port: 3001 }).port).toBe(4000);
  });

  test.each(['abc', '70000'])('PORT=%s throws naming PORT and the bad value', (value) => {
    expectConfigError({ PORT: value }, 'PORT', value);
  });

  test('PORT=8080 is accepted', () => {
    expect(load({ PORT: '8080' }).port).toBe(8080);
  });
});

describe('DATABASE_URL', () => {
  test('mysql://x throws naming DATABASE_URL', () => {
    expectConfigError({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL');
  });

  test.each([POSTGRES_URL, 'postgresql://hub@localhost/hub'])('%s is accepted', (url) => {
    expect(load({ DATABASE_URL: url }).database).toEqual({ dialect: 'postgresql', url });
  });
});

describe('REDIS_URL', () => {
  test('http://x throws naming REDIS_URL', () => {
    expectConfigError({ REDIS_URL: 'http://x' }, 'REDIS_URL');
  });

  test('redis://127.0.0.1:6379 is accepted', () => {
    expect(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });
});

describe('REDIS_KEY_PREFIX', () => {
  test('defaults to hub:, and keeps a given one', () => {
    expect(load().redisKeyPrefix).toBe('hub:');
    expect(load({ REDIS_KEY_PREFIX: 'region-b:' }).redisKeyPrefix).toBe('region-b:');
  });

  test('a space or a wildcard throws naming REDIS_KEY_PREFIX', () => {
    expectConfigError({ REDIS_KEY_PREFIX: 'hub b:' }, 'REDIS_KEY_PREFIX');
    expectConfigError({ REDIS_KEY_PREFIX: 'hub*' }, 'REDIS_KEY_PREFIX');
  });
});

describe('connection caps', () => {
  test('20 per member and 500 per address unless set', () => {
    expect(load().connectionCaps).toEqual({ perMember: 20, perAddress: 500 });
    expect(load({ CONNECTIONS_PER_MEMBER: '5', CONNECTIONS_PER_ADDRESS: '50' }).connectionCaps).toEqual({
      perMember: 5,
      perAddress: 50,
    });
  });

  test('zero throws naming the variable', () => {
    expectConfigError({ CONNECTIONS_PER_MEMBER: '0' }, 'CONNECTIONS_PER_MEMBER', 'between 1');
  });
});

describe('CORS_ORIGINS', () => {
  test.each([
    ['https://hub.example.org/app', 'https://hub.example.org/app'],
    ['https://hub.example.org/', 'https://hub.example.org/'],
    ['not an origin', 'not an origin'],
    ['https://hub.example.org, garbage', 'garbage'],
  ])('%s throws naming CORS_ORIGINS', (value, bad) => {
    expectConfigError({ CORS_ORIGINS: value }, 'CORS_ORIGINS', bad);
  });

  test('a good list parses', () => {
    expect(load({ CORS_ORIGINS: 'https://hub.example.org, http://localhost:5173' }).corsOrigins).toEqual([
      'https://hub.example.org',
      'http://localhost:5173',
    ]);
  });
});

describe('JWT_SECRET', () => {
  test('shorter than 32 characters throws', () => {
    expectConfigError({ JWT_SECRET: 'x'.repeat(31) }, 'JWT_SECRET', '32');
  });

  test('32 characters is accepted as given', () => {
    expect(load({ JWT_SECRET: SECRET }).accessTokenSecret).toBe(SECRET);
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  test('NODE_ENV=production without JWT_SECRET throws naming JWT_SECRET', () => {
    expectConfigError({ NODE_ENV: 'production' }, 'JWT_SECRET');
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  test('embedded mode generates a secret, stores it with mode 0600, and reuses it on restart', () => {
    const first = load().accessTokenSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);

    const file = join(dataDir, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ jwtSecret: first });

    expect(load().accessTokenSecret).toBe(first);
  });

  test('different data folders get different secrets', () => {
    const other = mkdtempSync(join(tmpdir(), 'hub-config-'));
    try {
      expect(loadConfig({ DATA_DIR: other }).accessTokenSecret).not.toBe(load().accessTokenSecret);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('a DATA_DIR that does not exist yet is created for the secret', () => {
    const nested = join(dataDir, 'nested', 'data');
    const secret = loadConfig({ DATA_DIR: nested }).accessTokenSecret;
    expect(JSON.parse(readFileSync(join(nested, 'secrets.json'), 'utf8'))).toEqual({ jwtSecret: secret });
  });
});

describe('booleans and the demo password', () => {
  test('MIGRATE_ON_START=maybe throws', () => {
    expectConfigError({ MIGRATE_ON_START: 'maybe' }, 'MIGRATE_ON_START', 'maybe');
  });

  test('DEMO_PASSWORD shorter than 12 characters throws', () => {
    expectConfigError({ DEMO_PASSWORD: 'short-pass1' }, 'DEMO_PASSWORD', '12');
  });

  test('DEMO_PASSWORD of 12 characters is accepted', () => {
    expect(load({ DEMO_PASSWORD: 'twelve-chars' }).demoPassword).toBe('twelve-chars');
  });
});

describe('hardening settings', () => {
  test('introspection and suggestions: on by default outside production, off in production', () => {
    expect(load().graphql).toMatchObject({ introspection: true, suggestions: true });
    expect(load({ NODE_ENV: 'production', JWT_SECRET: SECRET }).graphql).toMatchObject({
      introspection: false,
      suggestions: false,
    });
  });

  test('explicit GRAPHQL_INTROSPECTION / GRAPHQL_SUGGESTIONS win over NODE_ENV, both ways', () => {
    expect(
      load({ NODE_ENV: 'production', JWT_SECRET: SECRET, GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection,
    ).toBe(true);
    expect(load({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SUGGESTIONS: 'off' }).graphql).toMatchObject({
      introspection: false,
      suggestions: false,
    });
  });

  test('GraphQL limits have defaults and refuse values outside their range, naming the variable', () => {
    expect(load().graphql).toMatchObject({
      maxDepth: 12,
      maxAliases: 20,
      maxDirectives: 20,
      maxCost: 300_000,
      maxTokens: 5_000,
    });
    expectConfigError({ GRAPHQL_MAX_DEPTH: '1' }, 'GRAPHQL_MAX_DEPTH', '1');
    expectConfigError({ GRAPHQL_MAX_COST: 'lots' }, 'GRAPHQL_MAX_COST', 'lots');
    expect(load({ GRAPHQL_MAX_ALIASES: '5' }).graphql.maxAliases).toBe(5);
  });

  test('mutation rate, body limit and shutdown grace', () => {
    expect(load()).toMatchObject({
      mutationRateLimit: { mutations: 300, windowSeconds: 60 },
      bodyLimitKb: 512,
      shutdownGraceMs: 10_000,
    });
    expect(load({ MUTATION_RATE_LIMIT: '5', MUTATION_RATE_WINDOW_SECONDS: '10' }).mutationRateLimit).toEqual({
      mutations: 5,
      windowSeconds: 10,
    });
    expectConfigError({ MUTATION_RATE_LIMIT: '0' }, 'MUTATION_RATE_LIMIT', '0');
    expectConfigError({ BODY_LIMIT_KB: '1' }, 'BODY_LIMIT_KB', '1');
  });

  test('ACTOR_CACHE_TTL_MS: 5 s by default, 0 turns the cache off, at most a minute', () => {
    expect(load().actorCacheTtlMs).toBe(5_000);
    expect(load({ ACTOR_CACHE_TTL_MS: '0' }).actorCacheTtlMs).toBe(0);
    expectConfigError({ ACTOR_CACHE_TTL_MS: '60001' }, 'ACTOR_CACHE_TTL_MS', '60001');
    expectConfigError({ ACTOR_CACHE_TTL_MS: '-1' }, 'ACTOR_CACHE_TTL_MS', '-1');
  });

  test('LOG_LEVEL takes pino levels only', () => {
    expect(load().logLevel).toBe('info');
    expect(load({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expectConfigError({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'verbose');
  });

  test('METRICS_TOKEN is optional, and at least 16 characters when set', () => {
    expect(load().metricsToken).toBeUndefined();
    expectConfigError({ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN', '16');
    expect(load({ METRICS_TOKEN: 'a-metrics-token-of-32-characters' }).metricsToken).toBe(
      'a-metrics-token-of-32-characters',
    );
  });
});
