import { execFileSync } from 'node:child_process';
import { en, ro } from '../src/i18n/messages';

/**
 * The web client's two message tables: the same keys, ICU messages that parse and format with
 * react-intl, the same arguments in both languages, Romanian plurals with all three forms. FormatJS
 * ships ES modules only and Jest runs CommonJS here, so the parsing runs in a child Node process.
 */
const SCRIPT = `
const { parse, TYPE } = await import('@formatjs/icu-messageformat-parser');
const { createIntl } = await import('react-intl');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const tables = JSON.parse(Buffer.concat(chunks).toString());
const argumentsOf = (elements, into = {}) => {
  for (const e of elements) {
    if (e.type !== TYPE.literal && e.type !== TYPE.pound && typeof e.value === 'string') into[e.value] = e.type;
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) argumentsOf(o.value, into);
  }
  return into;
};
const plurals = (elements) => elements.filter((e) => e.type === TYPE.plural).map((e) => Object.keys(e.options).sort());
const result = { messages: {}, errors: [], samples: [] };
for (const [language, tag] of [['en', 'en-GB'], ['ro', 'ro-RO']]) {
  const intl = createIntl({ locale: tag, messages: tables[language], onError: (e) => result.errors.push(language + ': ' + e.message) });
  for (const [key, text] of Object.entries(tables[language])) {
    let parsed;
    try { parsed = parse(text); } catch (e) { result.errors.push(language + ' ' + key + ': ' + e.message); continue; }
    const args = argumentsOf(parsed);
    (result.messages[key] ??= {})[language] = { args, plurals: plurals(parsed) };
    intl.formatMessage({ id: key }, Object.fromEntries(Object.keys(args).map((name) => [name, 1])));
  }
  if (language === 'ro') for (const n of [1, 5, 20]) result.samples.push(intl.formatMessage({ id: 'error.RATE_LIMITED' }, { seconds: n }));
}
process.stdout.write(JSON.stringify(result));
`;

interface Parsed {
  messages: Record<string, Record<'en' | 'ro', { args: Record<string, number>; plurals: string[][] }>>;
  errors: string[];
  samples: string[];
}

describe('web client messages', () => {
  const parsed = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: __dirname,
      input: JSON.stringify({ en, ro }),
    }).toString(),
  ) as Parsed;

  it('has every key in both languages, none empty', () => {
    expect(Object.keys(ro).sort()).toEqual(Object.keys(en).sort());
    const empty = Object.entries({ ...en, ...ro }).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('parses and formats every message with react-intl, without an error', () => {
    expect(parsed.errors).toEqual([]);
    expect(Object.keys(parsed.messages).sort()).toEqual(Object.keys(en).sort());
  });

  it('gives each message the same arguments in both languages', () => {
    const different = Object.entries(parsed.messages).filter(
      ([, { en: english, ro: romanian }]) =>
        JSON.stringify(sorted(english.args)) !== JSON.stringify(sorted(romanian.args)),
    );
    expect(different).toEqual([]);
  });

  it('writes Romanian plurals with their three forms (one, few, other), English with two', () => {
    const plurals = Object.entries(parsed.messages).filter(([, m]) => m.ro.plurals.length > 0);
    expect(plurals.length).toBeGreaterThan(0);
    for (const [, m] of plurals) {
      for (const forms of m.ro.plurals) expect(forms).toEqual(expect.arrayContaining(['few', 'one', 'other']));
      for (const forms of m.en.plurals) expect(forms).toEqual(expect.arrayContaining(['one', 'other']));
    }
    expect(parsed.samples).toEqual([
      'Prea multe încercări. Încercați din nou peste 1 secundă.',
      'Prea multe încercări. Încercați din nou peste 5 secunde.',
      'Prea multe încercări. Încercați din nou peste 20 de secunde.',
    ]);
  });

  it('writes Romanian with ș and ț (comma below), never the cedilla forms', () => {
    expect(Object.entries(ro).filter(([, text]) => /[şţŞŢ]/.test(text))).toEqual([]);
  });
});

function sorted(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
