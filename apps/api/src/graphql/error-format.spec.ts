import { ConnectionException, DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { loggableError } from '@hub/core';
import { databaseUnavailable, formatGraphQLError } from './error-format';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

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

  test('is answered as retryable SERVICE_UNAVAILABLE, with no driver text', () => {
    const original = withCode(
      'terminating connection due to administrator command: insert into "case_summary" values (secret)',
      '57P01',
    );
    const error = new GraphQLError('x', { originalError: original, path: ['updateCaseSummary'] });
    const formatted = formatGraphQLError(error.toJSON(), error);
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(JSON.stringify(formatted)).not.toMatch(/secret|case_summary|terminating/);
  });
});

describe('loggableError', () => {
  it('keeps what the server said and where, never the statement and its values', () => {
    const error = Object.assign(
      new Error(
        `insert into "case_summary" ("investigation") values ('Victim V-17 seen at the border') - duplicate key value violates unique constraint "x"`,
      ),
      { code: '23505' },
    );
    const line = loggableError(error);
    expect(line).toMatch(/^Error \(23505\): duplicate key value violates unique constraint "x"/);
    expect(line).toMatch(/\n\s+at /);
    expect(line).not.toMatch(/Victim|case_summary|insert/);
  });

  it('keeps an ordinary error whole', () => {
    expect(loggableError(new TypeError('x is not a function'))).toMatch(/^TypeError: x is not a function/);
  });
});
