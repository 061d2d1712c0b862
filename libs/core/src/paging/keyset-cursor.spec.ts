import { DomainError } from '../errors/domain-error';
import { assertPageSize, keysetCursor } from './keyset-cursor';

const ID = '3f2b8c1e-9a4d-4e7f-8b2a-1c0d5e6f7a8b';
const raw = (text: string) => Buffer.from(text).toString('base64url');

const meetings = keysetCursor('meeting', ['instant', 'uuid']);
const actions = keysetCursor('action', ['day', 'uuid']);
const audit = keysetCursor('audit', ['int']);

/** The refusal every list gives, with its exact sentence. */
function refusal(decode: () => unknown): { code: string; message: string; field: unknown } | 'accepted' {
  try {
    decode();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, message: error.message, field: error.extensions.field };
  }
}

const NOT_OURS = {
  code: 'BAD_USER_INPUT',
  message: 'The "after" cursor is not one this server issued. Use pageInfo.endCursor from the previous page.',
  field: 'after',
};

describe('keysetCursor: what it issues decodes to the same values', () => {
  test.each<[string, () => unknown, unknown]>([
    [
      'a start time and an id',
      () => meetings.decode(meetings.encode([new Date('2026-03-04T09:30:00.000Z'), ID])),
      [new Date('2026-03-04T09:30:00.000Z'), ID],
    ],
    [
      'the first instant it accepts',
      () => meetings.decode(meetings.encode([new Date('0000-01-01T00:00:00.000Z'), ID])),
      [new Date('0000-01-01T00:00:00.000Z'), ID],
    ],
    ['a due day and an id', () => actions.decode(actions.encode(['2028-02-29', ID])), ['2028-02-29', ID]],
    ['an audit id', () => audit.decode(audit.encode([999_999_999_999_999])), [999_999_999_999_999]],
  ])('%s', (_, roundTrip, values) => {
    expect(roundTrip()).toEqual(values);
  });

  test('keeps the wire format clients already hold: "<kind>:<values joined by |>" in base64url', () => {
    expect(meetings.encode([new Date('2026-03-04T09:30:00.000Z'), ID])).toBe(
      raw(`meeting:2026-03-04T09:30:00.000Z|${ID}`),
    );
    expect(actions.encode(['2026-03-04', ID])).toBe(raw(`action:2026-03-04|${ID}`));
    expect(audit.encode([42])).toBe(raw('audit:42'));
  });
});

describe('keysetCursor: decoding accepts only the shape this server issues', () => {
  test.each<[string, () => unknown]>([
    ['garbage', () => audit.decode('%%%')],
    ['an empty cursor', () => meetings.decode('')],
    ['not base64url at all', () => meetings.decode('not-a-cursor')],
    ['a cursor of another list', () => actions.decode(raw(`meeting:2026-01-01T00:00:00.000Z|${ID}`))],
    ['the right kind with a value missing', () => meetings.decode(raw('meeting:2026-01-01T00:00:00.000Z'))],
    ['a value too many', () => actions.decode(raw(`action:2026-01-01|${ID}|${ID}`))],
    [
      'a year past 9999 (PostgreSQL overflows)',
      () => meetings.decode(raw(`meeting:+275760-09-13T00:00:00.000Z|${ID}`)),
    ],
    ['a negative year', () => meetings.decode(raw(`meeting:-271821-04-20T00:00:00Z|${ID}`))],
    ['an instant without milliseconds', () => meetings.decode(raw(`meeting:2026-01-01T00:00:00Z|${ID}`))],
    ['an instant that rolls over', () => meetings.decode(raw(`meeting:2026-02-30T00:00:00.000Z|${ID}`))],
    ['an instant that is no date', () => meetings.decode(raw(`meeting:2026-13-45T00:00:00.000Z|${ID}`))],
    ['SQL in the instant', () => meetings.decode(raw(`meeting:2026-01-01' or 1=1 --|${ID}`))],
    ['an impossible day', () => actions.decode(raw(`action:9999-99-99|${ID}`))],
    ['a day that rolls over', () => actions.decode(raw(`action:2026-02-30|${ID}`))],
    ['an id that is dashes only', () => actions.decode(raw(`action:2026-01-01|${'-'.repeat(36)}`))],
    ['an upper-case id', () => actions.decode(raw(`action:2026-01-01|${ID.toUpperCase()}`))],
    ['SQL in the audit id', () => audit.decode(raw("audit:1' or '1'='1"))],
    ['an audit id of 16 digits (not exact as a number)', () => audit.decode(raw('audit:1234567890123456'))],
    ['an audit id with a leading zero', () => audit.decode(raw('audit:042'))],
    ['an audit id of zero', () => audit.decode(raw('audit:0'))],
    ['base64 padding the server never writes', () => audit.decode(`${raw('audit:42')}==`)],
    ['a character base64url ignores', () => audit.decode(`${raw('audit:42')}.`)],
  ])('refuses %s', (_, decode) => {
    expect(refusal(decode)).toEqual(NOT_OURS);
  });
});

describe('assertPageSize: one check of "first"', () => {
  test.each<[number, number | undefined, boolean]>([
    [1, undefined, true],
    [200, undefined, true],
    [0, undefined, false],
    [201, undefined, false],
    [-5, undefined, false],
    [2.5, undefined, false],
    [Number.NaN, undefined, false],
    [50, 50, true],
    [51, 50, false],
  ])('first %s (max %s) accepted: %s', (first, max, accepted) => {
    expect(refusal(() => assertPageSize(first, max))).toEqual(
      accepted
        ? 'accepted'
        : { code: 'BAD_USER_INPUT', message: `"first" must be between 1 and ${max ?? 200}.`, field: 'first' },
    );
  });
});
