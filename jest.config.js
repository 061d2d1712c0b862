// Four kinds of suite: unit (no I/O); the service tier (domain services called directly on a real
// database, no HTTP) and the integration suites, each run twice (SQLite and PostgreSQL); and process
// suites that start the built deployables as a user would.
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

const common = {
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@hub/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  // The bench's private build of HEAD (bench/lib/head-build) is a second copy of the tree.
  modulePathIgnorePatterns: ['<rootDir>/bench/results/tmp/'],
};

// Integration suites about the transports, the live policy and the HTTP surface: no SQL of their own
// beyond what the suites run on both dialects already cover, so they run on PostgreSQL, the dialect of
// every deployment with more than one instance, and not a second time on SQLite (about 90 s of CI).
const POSTGRES_ONLY = [
  'connection-caps',
  'gateway',
  'live-cross-tenant',
  'live-sessions',
  'live-subscriptions',
  'observability',
  'properties-cnp',
  'security-sockets',
].map((name) => `<rootDir>/test/e2e/${name}\\.e2e-spec\\.ts$`);

module.exports = {
  maxWorkers: 2,
  // A worker keeps what every suite it ran left behind (modules, started apps' caches); past 1 GB its
  // garbage collection slowed each later suite (one ran 171 s in a bloated worker, 32 s in a fresh one),
  // so Jest replaces it between suites.
  workerIdleMemoryLimit: '1GB',
  // The known-heavy suites first (why in the file). With both, the whole run on 2 cores went from 1,134 s
  // to 742 s without timings of an earlier run, as in every fresh clone (docs/developing.md).
  testSequencer: '<rootDir>/test/setup/sequencer.js',
  // Process suites start real servers; a slow CI machine must not turn that into a failure.
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'service-sqlite',
      testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'],
      setupFiles: ['<rootDir>/test/setup/sqlite.ts'],
    },
    {
      ...common,
      displayName: 'service-postgres',
      testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'],
      setupFiles: ['<rootDir>/test/setup/postgres.ts'],
    },
    {
      ...common,
      displayName: 'sqlite',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...POSTGRES_ONLY],
      setupFiles: ['<rootDir>/test/setup/sqlite.ts'],
    },
    {
      ...common,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/setup/postgres.ts'],
    },
    { ...common, displayName: 'process', testMatch: ['<rootDir>/test/process/**/*.e2e-spec.ts'] },
    // The web client in headless Chromium against the built hub (needs `npm run build` and /usr/bin/chromium).
    // One hub for all its suites (test/browser/shared-hub.ts).
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.ts',
      globalTeardown: '<rootDir>/test/browser/global-teardown.ts',
    },
  ],
};
