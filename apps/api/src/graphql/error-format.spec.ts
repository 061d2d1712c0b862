import { GraphQLError } from 'graphql';
import { DriverException } from '@mikro-orm/core';
import { badInput, loggableError } from '@hub/core';
import { formatGraphQLError } from './error-format';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('formatGraphQLError: the classification in GraphQL shape', () => {
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
  test('keeps a domain refusal whole, and where it happened', () => {
    const error = new GraphQLError('x', { originalError: badInput('title', 'Give the meeting a title.'), path: ['m'] });
    expect(formatGraphQLError(error.toJSON(), error)).toEqual({
      path: ['m'],
      locations: undefined,
      message: 'Give the meeting a title.',
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
  });

  test.each([
    [
      'an Apollo request error keeps its message',
      new Error('Unknown argument "x".'),
      'GRAPHQL_VALIDATION_FAILED',
      true,
    ],
    [
      'a driver error under a request code is masked all the same',
      new DriverException(new Error('insert into x')),
      'BAD_USER_INPUT',
      false,
    ],
  ])('%s', (_, original, code, kept) => {
    // A resolver's error has a path (Apollo unwraps it); a request error has none.
    const path = original instanceof DriverException ? ['m'] : undefined;
    const error = new GraphQLError(original.message, { originalError: original, extensions: { code }, path });
    const formatted = formatGraphQLError(error.toJSON(), error);
    expect(formatted.extensions?.code).toBe(kept ? code : 'INTERNAL_SERVER_ERROR');
    expect(formatted.message === original.message).toBe(kept);
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
