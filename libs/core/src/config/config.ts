import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export type DatabaseConfig = { dialect: 'sqlite'; file: string } | { dialect: 'postgresql'; url: string };

export interface HubConfig {
  production: boolean;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  /** Absent: events stay in-process (one instance). */
  redisUrl?: string;
  /** Starts every Redis key and channel of this hub, so two hubs can share one Redis. */
  redisKeyPrefix: string;
  /** Live connections (Socket.IO and graphql-ws together) one instance accepts per member and per client address. */
  connectionCaps: { perMember: number; perAddress: number };
  accessTokenSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How long a just-spent refresh token may be presented again by a client whose answer was lost. */
  refreshRetrySeconds: number;
  /** How long a session's actor is kept in memory between bus invalidations; 0 reads it on every request. */
  actorCacheTtlMs: number;
  corsOrigins: string[];
  /** Express `trust proxy`: how many proxies stand in front of us, so the client address is right. */
  trustProxy: number;
  loginRateLimit: { attempts: number; windowSeconds: number };
  /** Mutations per member per window, counted per root field, on every instance together when Redis is there. */
  mutationRateLimit: { mutations: number; windowSeconds: number };
  /** Requests (every root field: queries too) per service account per window, on top of the mutation limit. */
  serviceAccountRateLimit: { requests: number; windowSeconds: number };
  /** How often an instance ends the sessions of expired API keys (closing their live connections); 0: never here. */
  apiKeyExpirySweepMs: number;
  /** Thin webhooks: how often each instance looks for work (0: this instance sends none), and how retries back off and give up. */
  webhooks: { pollMs: number; retryBaseMs: number; retryMaxMs: number; giveUpAfterMs: number; timeoutMs: number };
  graphql: GraphQLLimits;
  /** Largest request body accepted, in kilobytes (a case summary's four sections fit with room to spare). */
  bodyLimitKb: number;
  /** How long a stopping process waits for in-flight requests before it closes anyway. */
  shutdownGraceMs: number;
  logLevel: LogLevel;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** The embedded default migrates itself; production never migrates implicitly. */
  migrateOnStart: boolean;
  demoData: boolean;
  demoPassword?: string;
  /** Outside production only: a file holding milliseconds the clock is moved by (process tests). */
  clockOffsetFile?: string;
  notifications: NotificationsConfig;
}

export interface NotificationsConfig {
  /** How often each instance looks for reminder steps that are due; any instance may, each step fires once. */
  sweepSeconds: number;
  /** Absent: no e-mail; the inbox works the same. */
  smtpUrl?: string;
  /** The sender of notification e-mails. */
  mailFrom: string;
  /** The hub's address as members open it, for the links in e-mails. */
  publicUrl: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * What a GraphQL operation may ask for. Introspection and "did you mean" suggestions are set
 * explicitly here (off in production unless turned on), never left to Apollo's NODE_ENV guess; the
 * landing page is off everywhere (it loads from a CDN, and the hub runs without internet).
 */
export interface GraphQLLimits {
  introspection: boolean;
  suggestions: boolean;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

/** A bad or missing setting: `variable` is the environment variable to fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function database(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { dialect: 'sqlite', file: join(dataDir, 'hub.sqlite') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file)
      throw new ConfigError('DATABASE_URL', 'names no file after "sqlite:" (example: sqlite:./data/hub.sqlite)');
    return { dialect: 'sqlite', file: isAbsolute(file) ? file : resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid URL (example: postgres://user:pass@host:5432/hub)');
    }
    return { dialect: 'postgresql', url };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must start with postgres:// or sqlite: (unset it for the embedded SQLite default)',
  );
}

function redisUrl(env: Env): string | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  try {
    new URL(url);
  } catch {
    throw new ConfigError('REDIS_URL', 'is not a valid URL (example: redis://127.0.0.1:6379)');
  }
  return url;
}

function redisKeyPrefix(env: Env): string {
  const prefix = env.REDIS_KEY_PREFIX?.trim();
  if (!prefix) return 'hub:';
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(prefix))
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      `must be 1 to 64 letters, digits or . _ : -, got "${env.REDIS_KEY_PREFIX}"`,
    );
  return prefix;
}

function corsOrigins(env: Env): string[] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return [];
  return raw.split(',').map((origin) => {
    const value = origin.trim();
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError('CORS_ORIGINS', `has "${value}", which is not an origin like https://hub.example.org`);
    }
    if (parsed.origin !== value) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `has "${value}"; write the bare origin "${parsed.origin}" (no path or trailing slash)`,
      );
    }
    return value;
  });
}

/**
 * In embedded mode a secret is generated once and kept under the data folder, so tokens survive restarts;
 * in production it must be given.
 */
function accessTokenSecret(env: Env, production: boolean, dataDir: string): string {
  const given = env.JWT_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
    return given;
  }
  if (production) throw new ConfigError('JWT_SECRET', 'is required in production (at least 32 random characters)');
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    let stored: { jwtSecret?: unknown };
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new ConfigError(
        'JWT_SECRET',
        `is not set and ${file} is not readable JSON; fix or delete that file (deleting signs everyone out)`,
      );
    }
    if (typeof stored.jwtSecret === 'string' && stored.jwtSecret.length >= 32) return stored.jwtSecret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ jwtSecret: secret }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

function logLevel(env: Env, fallback: LogLevel): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!LOG_LEVELS.includes(raw as LogLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as LogLevel;
}

function clockOffsetFile(env: Env, production: boolean): string | undefined {
  const file = env.HUB_CLOCK_OFFSET_FILE?.trim();
  if (!file) return undefined;
  if (production)
    throw new ConfigError('HUB_CLOCK_OFFSET_FILE', 'moves the clock for tests and is refused in production');
  return file;
}

function smtpUrl(env: Env): string | undefined {
  const url = env.SMTP_URL?.trim();
  if (!url) return undefined;
  if (!/^smtps?:\/\//.test(url)) throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  try {
    new URL(url);
  } catch {
    throw new ConfigError('SMTP_URL', 'is not a valid URL (example: smtp://127.0.0.1:25)');
  }
  return url;
}

function metricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters long');
  return token;
}

/** `defaultPort`: the deployable's own default, so api and gateway started side by side do not collide. */
export function loadConfig(env: Env = process.env, defaults: { port?: number } = {}): HubConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const db = database(env, dataDir);
  const embedded = db.dialect === 'sqlite' && !production;
  const demoPassword = env.DEMO_PASSWORD;
  if (demoPassword !== undefined && demoPassword !== '' && demoPassword.length < 12) {
    throw new ConfigError('DEMO_PASSWORD', 'must be at least 12 characters long');
  }
  return {
    production,
    host: env.HOST?.trim() || '127.0.0.1',
    port: int(env, 'PORT', defaults.port ?? 3000, 0, 65535),
    dataDir,
    database: db,
    redisUrl: redisUrl(env),
    redisKeyPrefix: redisKeyPrefix(env),
    connectionCaps: {
      perMember: int(env, 'CONNECTIONS_PER_MEMBER', 20, 1, 10_000),
      perAddress: int(env, 'CONNECTIONS_PER_ADDRESS', 500, 1, 1_000_000),
    },
    accessTokenSecret: accessTokenSecret(env, production, dataDir),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 10, 3600),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 7 * 24 * 3600, 60, 90 * 24 * 3600),
    refreshRetrySeconds: int(env, 'REFRESH_RETRY_SECONDS', 30, 0, 60),
    actorCacheTtlMs: int(env, 'ACTOR_CACHE_TTL_MS', 5_000, 0, 60_000),
    corsOrigins: corsOrigins(env),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 10),
    loginRateLimit: {
      attempts: int(env, 'LOGIN_RATE_LIMIT', 10, 1, 10_000),
      windowSeconds: int(env, 'LOGIN_RATE_WINDOW_SECONDS', 60, 1, 86_400),
    },
    mutationRateLimit: {
      mutations: int(env, 'MUTATION_RATE_LIMIT', 300, 1, 1_000_000),
      windowSeconds: int(env, 'MUTATION_RATE_WINDOW_SECONDS', 60, 1, 86_400),
    },
    serviceAccountRateLimit: {
      requests: int(env, 'SERVICE_ACCOUNT_RATE_LIMIT', 600, 1, 1_000_000),
      windowSeconds: int(env, 'SERVICE_ACCOUNT_RATE_WINDOW_SECONDS', 60, 1, 86_400),
    },
    apiKeyExpirySweepMs: int(env, 'API_KEY_EXPIRY_SWEEP_MS', 15_000, 0, 3_600_000),
    webhooks: {
      pollMs: int(env, 'WEBHOOK_POLL_MS', 1_000, 0, 60_000),
      retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
      retryMaxMs: int(env, 'WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
      giveUpAfterMs: int(env, 'WEBHOOK_GIVE_UP_AFTER_MS', 86_400_000, 1_000, 7 * 86_400_000),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    },
    graphql: {
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
      suggestions: bool(env, 'GRAPHQL_SUGGESTIONS', !production),
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 12, 2, 100),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 20, 1, 1_000),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 300_000, 100, 10_000_000),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 5_000, 100, 1_000_000),
      maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 1, 1_000),
    },
    bodyLimitKb: int(env, 'BODY_LIMIT_KB', 512, 16, 16_384),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 300_000),
    logLevel: logLevel(env, 'info'),
    metricsToken: metricsToken(env),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', embedded),
    demoData: bool(env, 'DEMO_DATA', embedded),
    demoPassword: demoPassword || undefined,
    clockOffsetFile: clockOffsetFile(env, production),
    notifications: {
      sweepSeconds: int(env, 'REMINDER_SWEEP_SECONDS', 60, 0, 3_600),
      smtpUrl: smtpUrl(env),
      mailFrom: env.MAIL_FROM?.trim() || 'Task Force Hub <hub@localhost>',
      publicUrl: (env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT?.trim() || defaults.port || 3000}`).replace(
        /\/+$/,
        '',
      ),
    },
  };
}
