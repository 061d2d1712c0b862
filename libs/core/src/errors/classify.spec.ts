import {
  ConnectionException,
  DeadlockException,
  DriverException,
  LockWaitTimeoutException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { badInput, DomainError, notFound } from './domain-error';
import {
  busyWithOtherWrites,
  classifyError,
  databaseUnavailable,
  INTERNAL_ERROR_MESSAGE,
  isRetryableConflict,
} from './classify';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const driver = (message: string, code: string) => withCode(message, code);

describe('databaseUnavailable: what a database restart looks like through MikroORM, pg and knex', () => {
  test.each([
    ['a MikroORM connection exception', new ConnectionException(new Error('connect ECONNREFUSED 127.0.0.1:5432'))],
    [
      'the server shutting down (57P01)',
      withCode('COMMIT; - terminating connection due to administrator command', '57P01'),
    ],
    ['the server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception class (08006)', withCode('connection failure', '08006')],
    ['a reset socket', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a refused socket', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    [
      'an exhausted pool',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    [
      'a transaction whose connection died',
      new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
    ],
    [
      'a connection cut under a statement',
      new Error('insert into "meeting" ("title") values ($1) - Connection terminated unexpectedly'),
    ],
    [
      'a client that lost its connection',
      new Error(
        'insert into "agenda_item" values (\'x\') - Client has encountered a connection error and is not queryable',
      ),
    ],
  ])('%s is unavailability', (_, error) => {
    expect(databaseUnavailable(error)).toBe(true);
  });

  test.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    [
      'a statement whose text mentions a connection',
      new DriverException(new Error("insert into note (text) values ('Connection terminated by the victim')")),
    ],
    ['a plain error', new Error('boom')],
    ['not an error at all', 'connect ECONNREFUSED'],
  ])('%s is not', (_, error) => {
    expect(databaseUnavailable(error)).toBe(false);
  });
});

describe('isRetryableConflict: refusals after which the whole transaction may run again', () => {
  test.each([
    ['a deadlock (40P01)', new DeadlockException(driver('deadlock detected', '40P01')), true],
    ['SQLite busy past its timeout', new LockWaitTimeoutException(driver('database is locked', 'SQLITE_BUSY')), true],
    ['a unique violation', new UniqueConstraintViolationException(driver('duplicate key', '23505')), false],
    ['a lost connection', new ConnectionException(driver('connect ECONNREFUSED', 'ECONNREFUSED')), false],
    ['a plain error', new Error('deadlock detected'), false],
    // What a raw statement (connection.execute, e.g. a row lock) throws: pg's error, not the ORM's.
    ['a raw statement deadlocked (pg error 40P01)', driver('deadlock detected', '40P01'), true],
    ['a raw statement could not serialize (pg error 40001)', driver('could not serialize access', '40001'), true],
    ['a raw statement hit a unique index (pg error 23505)', driver('duplicate key', '23505'), false],
  ])('%s: %s', (_, error, retryable) => {
    expect(isRetryableConflict(error)).toBe(retryable);
  });
});

const SERVICE_UNAVAILABLE = 'The database is unavailable right now. Nothing was saved; try again in a moment.';
const BUSY = 'The hub is busy with other changes to the same thing. Nothing was saved; try again in a moment.';

describe('classifyError: one answer per error, whatever the transport', () => {
  test.each<[string, unknown, { code: string; message: string; extensions: Record<string, unknown> }]>([
    [
      'a domain refusal keeps its code, sentence and extensions',
      badInput('title', 'Give the meeting a title.'),
      { code: 'BAD_USER_INPUT', message: 'Give the meeting a title.', extensions: { field: 'title' } },
    ],
    [
      'a domain NOT_FOUND',
      notFound('The meeting'),
      { code: 'NOT_FOUND', message: 'The meeting was not found, or you do not have access to it.', extensions: {} },
    ],
    [
      'a domain error that is itself retryable',
      busyWithOtherWrites(),
      { code: 'SERVICE_UNAVAILABLE', message: BUSY, extensions: { retryable: true } },
    ],
    [
      'a database shutting down',
      withCode(
        'terminating connection due to administrator command: insert into "case_summary" values (secret)',
        '57P01',
      ),
      { code: 'SERVICE_UNAVAILABLE', message: SERVICE_UNAVAILABLE, extensions: { retryable: true } },
    ],
    [
      'a connection exception',
      new ConnectionException(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      { code: 'SERVICE_UNAVAILABLE', message: SERVICE_UNAVAILABLE, extensions: { retryable: true } },
    ],
    [
      'a deadlock no write transaction retried',
      new DeadlockException(driver('update "meeting" set "title" = \'secret\' - deadlock detected', '40P01')),
      { code: 'SERVICE_UNAVAILABLE', message: BUSY, extensions: { retryable: true } },
    ],
    [
      'SQLite busy past its timeout',
      new LockWaitTimeoutException(driver('database is locked', 'SQLITE_BUSY')),
      { code: 'SERVICE_UNAVAILABLE', message: BUSY, extensions: { retryable: true } },
    ],
    [
      'a unique violation nobody turned into a sentence',
      new UniqueConstraintViolationException(driver('insert into "agency" values (\'secret\') - duplicate', '23505')),
      { code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_ERROR_MESSAGE, extensions: {} },
    ],
    [
      'a programming error',
      new TypeError('x is not a function'),
      { code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_ERROR_MESSAGE, extensions: {} },
    ],
    [
      'something that is not an error',
      'secret',
      { code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_ERROR_MESSAGE, extensions: {} },
    ],
  ])('%s', (_, error, expected) => {
    const { log, ...answer } = classifyError(error);
    expect(answer).toEqual(expected);
    expect(JSON.stringify(answer)).not.toMatch(/secret|case_summary|terminating|insert|update/);
    expect(log === null).toBe(error instanceof DomainError);
  });

  test.each<[string, unknown, { level: 'warn' | 'error'; line: RegExp } | null]>([
    ['a domain refusal is not logged here (the transport knows who asked)', notFound('The meeting'), null],
    [
      'an unavailable database is a warning with its code, never its statement',
      withCode('insert into "case_summary" values (secret) - terminating connection', '57P01'),
      { level: 'warn', line: /^database unavailable \(57P01\)$/ },
    ],
    [
      'an exhausted pool is a warning by name',
      Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }),
      { level: 'warn', line: /^database unavailable \(KnexTimeoutError\)$/ },
    ],
    [
      'a write conflict is a warning with its code',
      new DeadlockException(driver('update "meeting" set "title" = \'secret\' - deadlock detected', '40P01')),
      { level: 'warn', line: /^write conflict not retried \(40P01\)$/ },
    ],
    [
      'anything else is an error, with what the server said and where, not the values',
      withCode(
        `insert into "case_summary" values ('secret') - duplicate key value violates unique constraint`,
        '23505',
      ),
      { level: 'error', line: /^Error \(23505\): duplicate key value violates unique constraint\n\s+at / },
    ],
  ])('%s', (_, error, expected) => {
    const { log } = classifyError(error);
    if (expected === null) return expect(log).toBeNull();
    expect(log?.level).toBe(expected.level);
    expect(log?.line).toMatch(expected.line);
    expect(log?.line).not.toMatch(/secret|case_summary/);
  });

  test('the extensions it returns are a copy: a transport may add to them without changing the error', () => {
    const error = new DomainError('CONFLICT', 'Taken.', { field: 'name' });
    classifyError(error).extensions.extra = true;
    expect(error.extensions).toEqual({ field: 'name' });
  });
});
