#!/usr/bin/env node
// `npm start` builds only when something it builds from changed: `npm run build` ends by writing a hash of
// its inputs to dist/.build-stamp, and `check` compares (exit 0: up to date, 1: build needed).
//   node scripts/build-stamp.js check|write [--root <dir>]
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');

/** What `npm run build` reads (server, web client, compiler settings, dependencies). */
const INPUTS = [
  'apps',
  'libs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  '.swcrc',
];
/** What it must have produced: a stamp without them (a deleted dist/apps) still needs a build. */
const OUTPUTS = ['hub', 'api', 'gateway', 'cli']
  .map((app) => `dist/apps/${app}/src/main.js`)
  .concat('dist/web/index.html');
const SKIP = new Set(['node_modules', 'dist']);

function* files(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) return yield path;
  for (const entry of readdirSync(path).sort()) if (!SKIP.has(entry)) yield* files(join(path, entry));
}

function inputsHash(root) {
  const hash = createHash('sha256');
  for (const input of INPUTS)
    for (const file of files(join(root, input)))
      hash
        .update(`${relative(root, file)}\0`)
        .update(readFileSync(file))
        .update('\0');
  return hash.digest('hex');
}

const [mode, ...rest] = process.argv.slice(2);
const root = rest[0] === '--root' && rest[1] ? rest[1] : join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');

if (mode === 'write') {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, `${inputsHash(root)}\n`);
} else if (mode === 'check') {
  const current =
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === inputsHash(root) &&
    OUTPUTS.every((output) => existsSync(join(root, output)));
  if (current) console.log('Build is up to date (nothing changed since the last build).');
  process.exit(current ? 0 : 1);
} else {
  console.error('usage: node scripts/build-stamp.js check|write [--root <dir>]');
  process.exit(2);
}
