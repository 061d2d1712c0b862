import fc from 'fast-check';

/**
 * fast-check arbitraries for hostile but mostly well-typed GraphQL variables: most values are
 * plausible (so they reach validation and the domain), the rest are edge cases a client could send.
 */

/** Strings that have broken servers before: control characters, NUL, lone surrogates, SQL and markup. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u00a0\u2003\u3000',
  '\u0000',
  'before\u0000after',
  '\u0007\u001b[31mred\u001b[0m',
  '\ud800',
  'lone \udfff surrogate',
  '\u202eevil\u202c',
  '\u200b\u200c\u200d\ufeff',
  "'; drop table member; --",
  "' or '1'='1",
  '" or ""="',
  "Robert'); DELETE FROM audit_record; --",
  '%s%s%s%n',
  '${7*7}{{7*7}}<%= 7*7 %>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '\\',
  '"',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'Ⅻ ﬁ Å Ω ǅ',
  'Ștefan și Țara Românească',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'z\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308',
  '\u0085\u2028\u2029',
];

const WORDS = [
  'task',
  'force',
  'meeting',
  'agenda',
  'witness',
  'interview',
  'prosecutor',
  'police',
  'shelter',
  'transport',
  'follow',
  'up',
  'report',
  'regional',
  'coordination',
  'victim',
  'support',
  'referral',
  'cooperation',
  'the',
  'of',
  'and',
  'with',
  'for',
  'next',
  'week',
  'Ștefan',
  'Iași',
  'Timișoara',
  'evaluare',
  'întâlnire',
  'consiliere',
];

/** A plain sentence of words: no digits, no '@', no '+': nothing the identifier screen may flag. */
export const harmlessSentence = (maxWords = 12): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: maxWords }),
      fc.constantFrom('.', '!', '?', '', '…', ';'),
    )
    .map(([words, end]) => {
      const text = words.join(' ') + end;
      return text[0].toUpperCase() + text.slice(1);
    });

/** Letters, spaces and punctuation only (any script), never a digit, '@' or '+'. */
export const harmlessText = (maxLength = 80): fc.Arbitrary<string> =>
  fc.oneof(
    harmlessSentence(),
    fc
      .string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzăâîșțĂÂÎȘȚ ÄÖÜßéèêçñ.,;:!?\'"()-–—/'.split('')),
        minLength: 1,
        maxLength,
      })
      .filter((text) => /[a-zA-Zăâîșț]/.test(text)),
  );

/**
 * Text for a field of at most `max` characters: mostly plausible, sometimes empty, blank, exactly at
 * and just over the limit, far beyond it, unicode, control characters, NUL, lone surrogates, SQL and HTML.
 */
export function hostileText(max: number, options: { huge?: boolean } = {}): fc.Arbitrary<string> {
  const boundary = fc.constantFrom(max - 1, max, max + 1).filter((n) => n > 0);
  const arbitraries: fc.WeightedArbitrary<string>[] = [
    { weight: 10, arbitrary: harmlessSentence() },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(harmlessSentence(4), fc.constantFrom(...NASTY_STRINGS), harmlessSentence(4))
        .map((parts) => parts.join(' ')),
    },
    { weight: 1, arbitrary: boundary.map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: boundary.map((n) => 'ă'.repeat(n)) },
    // Astral characters are two UTF-16 code units: the limit in code units and in characters differ.
    { weight: 1, arbitrary: boundary.map((n) => '😀'.repeat(Math.ceil(n / 2))) },
  ];
  if (options.huge !== false)
    arbitraries.push({ weight: 1, arbitrary: fc.constantFrom(10 * max, 70_000).map((n) => 'y'.repeat(n)) });
  return fc.oneof(...arbitraries);
}

/** An Int argument in [min, max]: mostly inside, sometimes outside, negative, huge, a float or not a number. */
export function hostileInt(min: number, max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(min - 1, max + 1, -1, 0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53 + 2, -(2 ** 53)),
    },
    { weight: 1, arbitrary: fc.constantFrom(1.5, -0.5, 1e300, Number.MIN_VALUE) },
    { weight: 1, arbitrary: fc.constantFrom('1', '0x10', '', true, [], {}) },
  );
}

/** An enum argument: mostly one of `values`, sometimes a wrong one. */
export function hostileEnum(values: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...values) },
    { weight: 1, arbitrary: fc.constantFrom(...values).map((v) => v.toLowerCase()) },
    { weight: 1, arbitrary: fc.constantFrom('SPY', '', ' ', 'OPEN; DROP', 0, true) },
  );
}

const MINUTE = 60_000;

/** An ISO instant: mostly in the next weeks, sometimes far past or future (years −271821 to 275760), or not a date at all. */
export function hostileInstant(base = Date.now()): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .integer({ min: 60, max: 60 * 24 * 60 })
        .map((minutes) => new Date(base + minutes * MINUTE).toISOString()),
    },
    { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'not a date',
        '',
        '2026-02-30T10:00:00Z',
        '2026-13-01T00:00:00Z',
        '0000-01-01T00:00:00Z',
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999Z',
        '+275760-09-13T00:00:00.000Z',
        '-271821-04-20T00:00:00.000Z',
        '1970-01-01T00:00:00Z',
        '2026-06-01',
        '2026-06-01T25:61:61Z',
        'Infinity',
        1e15,
        -1,
      ),
    },
  );
}

/** startsAt and endsAt: mostly a plausible pair (even far in the past or future), sometimes unrelated values. */
export function hostileTimes(base = Date.now()): fc.Arbitrary<{ startsAt: unknown; endsAt: unknown }> {
  const pair = fc
    .tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: 60, max: 60 * 24 * 60 }).map((minutes) => base + minutes * MINUTE) },
        {
          weight: 2,
          arbitrary: fc
            .date({ noInvalidDate: true, min: new Date(-8.64e15 + 86_400_000), max: new Date(8.64e15 - 86_400_000) })
            .map((d) => d.getTime()),
        },
      ),
      fc.integer({ min: -120, max: 26 * 60 }),
    )
    .map(([start, minutes]) => ({
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + minutes * MINUTE).toISOString(),
    }));
  return fc.oneof(
    { weight: 4, arbitrary: pair },
    { weight: 1, arbitrary: fc.record({ startsAt: hostileInstant(base), endsAt: hostileInstant(base) }) },
  );
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');

/** A YYYY-MM-DD calendar date: mostly near today, sometimes far, impossible or malformed. */
export function hostileCalendarDate(base = Date.now()): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .integer({ min: -30, max: 365 })
        .map((days) => new Date(base + days * 86_400_000).toISOString().slice(0, 10)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '0000-01-01',
        '0001-01-01',
        '9999-12-31',
        '2026-02-29',
        '2028-02-29',
        '2026-1-1',
        '26-01-01',
        'tomorrow',
        '',
        '2026-06-01T00:00:00Z',
        '+275760-09-13',
      ),
    },
  );
}

/** A syntactically valid UUID nobody issued, or a string that only looks like an id. */
export const strayId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '42',
      'not-a-uuid',
      "1' or '1'='1",
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '00000000-0000-4000-8000-00000000000',
      '{00000000-0000-4000-8000-000000000000}',
      '00000000-0000-4000-8000-000000000000\u0000',
      'x'.repeat(5000),
    ),
  },
);

/** A symbolic reference to an object of the world, resolved when the run starts (see PropertiesWorld). */
export interface Ref {
  $ref: string;
  which: string;
}

export const ref = (kind: string, which: string): Ref => ({ $ref: kind, which });

export function isRef(value: unknown): value is Ref {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Ref).$ref === 'string' &&
    typeof (value as Ref).which === 'string'
  );
}

/**
 * An id argument: mostly a fresh object of the right kind in the actor's task force, sometimes a
 * long-lived one, another task force's object of the same kind, an object of another kind, an id
 * nobody issued, a malformed id, or null.
 */
export function hostileId(kind: string, options: { nullable?: boolean; fresh?: number } = {}): fc.Arbitrary<unknown> {
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [
    { weight: options.fresh ?? 10, arbitrary: fc.constant(ref(kind, 'fresh')) },
    { weight: 2, arbitrary: fc.constant(ref(kind, 'shared')) },
    { weight: 2, arbitrary: fc.constant(ref(kind, 'other')) },
    { weight: 1, arbitrary: fc.constant(ref(kind, 'wrongKind')) },
    { weight: 2, arbitrary: strayId },
  ];
  if (options.nullable) arbitraries.push({ weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof(...arbitraries);
}

/** An optional field: left out, null, or a value. `undefined` keys are dropped by JSON. */
export function optional<T>(
  arbitrary: fc.Arbitrary<T>,
  weights: { absent?: number; nullish?: number; present?: number } = {},
): fc.Arbitrary<T | null | undefined> {
  return fc.oneof(
    { weight: weights.absent ?? 2, arbitrary: fc.constant(undefined) },
    { weight: weights.nullish ?? 1, arbitrary: fc.constant(null) },
    { weight: weights.present ?? 4, arbitrary: arbitrary as fc.Arbitrary<T | null | undefined> },
  );
}

type Breakage = 'drop' | 'null' | 'array' | 'number' | 'string' | 'object' | 'extra' | 'boolean';

function breakOne(target: Record<string, unknown>, index: number, how: Breakage): Record<string, unknown> {
  const copy = { ...target };
  const keys = Object.keys(copy).filter((key) => copy[key] !== undefined);
  const key = keys.length ? keys[index % keys.length] : 'x';
  switch (how) {
    case 'drop':
      delete copy[key];
      break;
    case 'null':
      copy[key] = null;
      break;
    case 'array':
      copy[key] = [copy[key], copy[key]];
      break;
    case 'number':
      copy[key] = 12345.678;
      break;
    case 'string':
      copy[key] = 'shape-breaking string';
      break;
    case 'object':
      copy[key] = { nested: { deeper: [1, 'two', null] } };
      break;
    case 'boolean':
      copy[key] = true;
      break;
    case 'extra':
      copy.__unknownField = 'surprise';
      break;
  }
  return copy;
}

/**
 * Mostly `variables` as generated; sometimes one variable (or one field of `input`) dropped or
 * replaced with a value of the wrong shape, or an unknown field added.
 */
export function withShapeBreaks(
  variables: fc.Arbitrary<Record<string, unknown>>,
  weight = 1,
): fc.Arbitrary<Record<string, unknown>> {
  const broken = fc
    .tuple(
      variables,
      fc.nat(),
      fc.constantFrom<Breakage>('drop', 'null', 'array', 'number', 'string', 'object', 'extra', 'boolean'),
      fc.boolean(),
    )
    .map(([vars, index, how, deep]) => {
      const input = vars.input;
      if (deep && typeof input === 'object' && input !== null && !Array.isArray(input) && !('$ref' in input)) {
        return { ...vars, input: breakOne(input as Record<string, unknown>, index, how) };
      }
      return breakOne(vars, index, how);
    });
  return fc.oneof({ weight: 8, arbitrary: variables }, { weight, arbitrary: broken });
}

/** Every string inside a value (to tell echoed input from server text in an error message). */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => stringsIn(item, into));
  return into;
}
