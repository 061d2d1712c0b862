import { DomainError } from '../errors/domain-error';
import { findIdentifier, type IdentifierKind, screenFields, screenText } from './identifier-screen';

/*
 * Test data is computed here, independently of the implementation: CNP check digits with the
 * published weights, IBAN check digits with BigInt arithmetic.
 */

/** A CNP from its first 12 digits: weights 279146358279, sum mod 11, a remainder of 10 becomes 1. */
function cnp(first12: string): string {
  const weights = '279146358279';
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * Number(weights[i]);
  const check = sum % 11 === 10 ? 1 : sum % 11;
  return first12 + check;
}

/** The same 13 digits with a wrong check digit. */
function wrongCheck(valid: string): string {
  return valid.slice(0, 12) + ((Number(valid[12]) + 1) % 10);
}

function ibanRemainder(iban: string): bigint {
  const compact = iban.replace(/ /g, '').toUpperCase();
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = [...rearranged].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return BigInt(numeric) % 97n;
}

/** An IBAN for a country and account (BBAN), with its ISO 13616 check digits. */
function iban(country: string, bban: string): string {
  const check = 98n - ibanRemainder(`${country}00${bban}`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** "RO49AAAA1B31007593840000" → "RO49 AAAA 1B31 0075 9384 0000". */
function grouped(compact: string): string {
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

const CNP_MALE_1996 = cnp('196052312345');
const CNP_FEMALE_1985 = cnp('285010140012');
const CNP_MALE_2003 = cnp('503112901234');
const CNP_RESIDENT = cnp('700123145678');
const CNP_FOREIGNER = cnp('962070752001');

const IBAN_RO = 'RO49AAAA1B31007593840000';
const IBAN_GB = 'GB82WEST12345698765432';
const IBAN_DE = 'DE89370400440532013000';
const IBAN_RO_GENERATED = iban('RO', 'BTRLRONCRT0123456789');
const IBAN_FR = iban('FR', '20041010050500013M02606');

describe('test data', () => {
  test('the standard IBAN examples are valid, and a changed digit breaks them', () => {
    for (const valid of [IBAN_RO, IBAN_GB, IBAN_DE, IBAN_RO_GENERATED, IBAN_FR]) expect(ibanRemainder(valid)).toBe(1n);
    expect(IBAN_FR).toBe('FR1420041010050500013M02606');
    expect(ibanRemainder('RO49AAAA1B31007593840001')).not.toBe(1n);
  });

  test('CNP helper', () => {
    expect(CNP_MALE_1996).toHaveLength(13);
    expect(wrongCheck(CNP_MALE_1996)).not.toBe(CNP_MALE_1996);
  });
});

describe('findIdentifier: true positives', () => {
  test.each<[string, string]>([
    ['in a Romanian sentence', `Victima (CNP ${CNP_MALE_1996}) a fost audiată la sediul DIICOT.`],
    ['glued to its label', `cnp:${CNP_FEMALE_1985}`],
    ['glued to letters', `CNP${CNP_MALE_1996}`],
    ['alone', CNP_MALE_2003],
    ['born after 2000, at the end of a sentence', `Minorul are codul ${CNP_MALE_2003}.`],
    ['resident (7)', `Rezident străin, cod ${CNP_RESIDENT}, cazat la Timișoara.`],
    ['foreigner (9)', `Foreign national, personal number ${CNP_FOREIGNER}; interpreter needed.`],
    ['in multi-line text', `Date victimă:\nNume: [redactat]\nCNP — ${CNP_FEMALE_1985}\nDomiciliu: Iași`],
    [
      'among diacritics',
      `Persoana vătămată, având codul numeric personal ${CNP_FEMALE_1985}, și-a menținut declarația în fața procurorului.`,
    ],
    ['written with full-width digits', `CNP ${toFullWidth(CNP_MALE_1996)}`],
    ['after other numbers and a phone number', `Pe 28.11.2026 la 14:30, tel. 0722 123 456, CNP ${CNP_MALE_1996}`],
    ['in groups with spaces (issue 18)', '4 441119 095275'],
    ['in groups with dots', 'CNP 4.441119.095275, audiată'],
    ['in groups with dashes', 'cod 4-441119-095275'],
    [
      'in groups of other sizes',
      `Codul ${CNP_FEMALE_1985.slice(0, 3)} ${CNP_FEMALE_1985.slice(3, 7)} ${CNP_FEMALE_1985.slice(7)}.`,
    ],
    [
      'in groups after an unrelated number',
      `Dosar 12 ${CNP_MALE_1996.slice(0, 1)} ${CNP_MALE_1996.slice(1, 7)} ${CNP_MALE_1996.slice(7)}`,
    ],
    [
      'with mixed single separators',
      `${CNP_MALE_2003.slice(0, 1)}.${CNP_MALE_2003.slice(1, 7)}-${CNP_MALE_2003.slice(7)}`,
    ],
    [
      'in groups with no-break spaces',
      `${CNP_RESIDENT.slice(0, 1)}\u00a0${CNP_RESIDENT.slice(1, 7)}\u00a0${CNP_RESIDENT.slice(7)}`,
    ],
  ])('CNP %s', (_, text) => {
    expect(findIdentifier(text)).toBe('CNP');
  });

  test.each<[string, string]>([
    ['RO, compact', `IBAN: ${IBAN_RO}`],
    ['RO, grouped by four', `Contul ${grouped(IBAN_RO)} aparține suspectului.`],
    ['RO, lowercase', `cont ${IBAN_RO.toLowerCase()}`],
    ['GB, compact', `Transfer to ${IBAN_GB} on 3 March.`],
    ['GB, grouped, end of sentence', `Beneficiary: ${grouped(IBAN_GB)}.`],
    ['DE, compact', IBAN_DE],
    ['DE, grouped, last group of two', `Plata a mers în ${grouped(IBAN_DE)}, apoi a fost retrasă.`],
    ['RO with letters in the account', `Banca Transilvania, ${IBAN_RO_GENERATED}`],
    ['RO with letters in the account, grouped', `cont: ${grouped(IBAN_RO_GENERATED)}`],
    ['FR', `Virement vers ${IBAN_FR}`],
    ['in multi-line text', `Decizie:\n1. Se blochează contul\n${grouped(IBAN_RO)}\n2. Se informează ANITP.`],
    ['followed by a word of four letters', `${grouped(IBAN_RO)} este blocat`],
  ])('IBAN %s', (_, text) => {
    expect(findIdentifier(text)).toBe('IBAN');
  });

  test.each<[string, string]>([
    ['plain', 'Scrieți-i la ion.popescu@gmail.com dacă mai aveți întrebări.'],
    ['with a tag and a multi-part domain', 'Contact: maria_ionescu+dosar@yahoo.co.uk.'],
    ['after diacritics', 'E-mail victimă: andreea.v@protonmail.ch'],
    ['uppercase', 'CONTACT: ION@EXEMPLU.RO'],
    ['in multi-line text', 'trimis de pe adresa ion-vasile.1990@mail.ro\na doua linie'],
    ['holding a phone number (reported as e-mail)', 'gateway: 0722123456@sms.ro'],
    ['with a passport-like local part', 'AB1234567@example.org'],
  ])('EMAIL %s', (_, text) => {
    expect(findIdentifier(text)).toBe('EMAIL');
  });

  test.each<[string, string]>([
    ['mobile, 4-3-3 with spaces', 'Victima poate fi contactată la 0722 123 456 după ora 18.'],
    ['mobile, contiguous', 'tel 0722123456'],
    ['mobile, dots', 'Telefon: 0745.987.654'],
    ['mobile, dashes', 'tel. 0745-987-654'],
    ['+40 with a space then dashes', 'WhatsApp +40 722-123-456'],
    ['+40 contiguous', 'număr: +40722123456.'],
    ['+40 (0)', 'Call +40 (0)722 123 456 tomorrow'],
    ['0040, Bucharest landline in groups', 'Fax 0040.21.123.45.67'],
    ['0040 contiguous mobile', '0040722123456'],
    ['Bucharest landline 3-3-4', 'Sediul: 021 123 4567'],
    ['county landline, dots', 'Timișoara: 0256.123.456'],
    ['landline with the area code in parentheses', 'Secretariat (021) 123 45 67, interior 12'],
    ['mobile with the prefix in parentheses', 'mobil (0722) 123 456'],
    ['mobile 4-2-2-2', 'sună la 0722 12 34 56'],
    ['mobile 2-2-2-2-2', '07 22 12 34 56'],
    ['with no-break spaces', 'tel. 0722\u00A0123\u00A0456'],
    ['with en dashes', 'tel. 0722–123–456'],
    ['written with full-width digits', `tel. ${toFullWidth('0722123456')}`],
    ['UK, international', 'Her sister in London: +44 20 7946 0958.'],
    ['US, international with dashes', '+1-202-555-0143'],
    ['Germany, international', 'Kontakt +49 30 12345678'],
    ['France, international in pairs', 'Tél. +33 6 12 34 56 78'],
    ['Italy, international contiguous', '+393331234567'],
    ['in multi-line text', 'Acțiuni:\n- sunați martorul\n0733 987 654\n- raport până vineri'],
  ])('PHONE %s', (_, text) => {
    expect(findIdentifier(text)).toBe('PHONE');
  });

  test.each<[string, string]>([
    ['two letters, nine digits', 'Pașaportul AB1234567 a fost reținut.'],
    ['Romanian ID card, series and number with a space', 'CI XV 123456, eliberată de SPCLEP Iași'],
    ['one letter, eight digits', 'Passport P12345678 (expired).'],
    ['series and number glued', 'act: KT654321'],
    ['"seria … nr."', 'Buletin seria RX nr. 123456'],
    ['"seria …, numărul"', 'carte de identitate Seria TM, numărul 654321'],
    ['bare number after "pașaport nr."', 'pașaport nr. 12345678'],
    ['bare number after "passport no."', 'passport no. 123456789'],
    ['bare number after "pasaport" without diacritics', 'pasaportul ei 87654321'],
    ['bare number after "paşaport" with a cedilla', 'paşaport 123456789'],
    ['bare number after "buletin"', 'Buletin: 87654321'],
    ['bare number after "CI"', 'CI nr. 12345678'],
    ['bare number after "C.I."', 'C.I. 12345678'],
    ['bare number after "carte de identitate"', 'carte de identitate 123456789'],
    ['bare number after "ID card"', 'ID card number 12345678'],
    ['bare number after "document de călătorie"', 'document de călătorie 987654321'],
    ['within ~20 characters of the keyword', 'numărul pașaportului este 123456789'],
    ['in multi-line text', 'Documente:\npașaport\n12345678\nvalabil'],
  ])('PASSPORT %s', (_, text) => {
    expect(findIdentifier(text)).toBe('PASSPORT');
  });
});

describe('findIdentifier: true negatives', () => {
  test.each<[string, string]>([
    ['a year', 'Raport anual 2026'],
    ['an ISO date', 'Termen: 2026-11-28'],
    ['a Romanian date', 'Ședința din 28.11.2026'],
    ['a date with a leading zero, then an hour', 'Ședința din 02.03.2026 10:00'],
    ['a date and an hour written with spaces', 'Ședința din 02 03 2026 10:00'],
    ['a date and an hour written with spaces, more groups', 'începe 07 03 2026 10 00'],
    ['a time', 'Începem la 14:30.'],
    ['counts', '12 victims identified, 3 minors, 45 de persoane audiate'],
    ['case codes', 'Dosarele BUC-2026-014 și TIM-0042 se conexează.'],
    ['a court file number', 'Dosar nr. 1234/3/2026 al Tribunalului București'],
    ['article references', 'art. 210 Cod penal, art 210 alin. (1), ART. 211'],
    ['money amounts', 'Prejudiciu: 15.000 lei, recuperat 2.500.000 lei.'],
    ['a signed money amount', 'Buget suplimentar +150.000.000 lei'],
    ['a 13-digit number with a wrong CNP check digit', `Număr de înregistrare ${wrongCheck(CNP_MALE_1996)}`],
    ['a 13-digit number with a wrong check digit, labelled CNP', `CNP ${wrongCheck(CNP_FEMALE_1985)}`],
    ['13 digits with a valid check digit but month 13', cnp('196132312345')],
    ['13 digits with a valid check digit but day 00', cnp('196050012345')],
    ['13 digits with a valid check digit but day 32', cnp('196053212345')],
    ['13 digits starting with 0', `0${CNP_MALE_1996.slice(1)}`],
    ['a valid CNP inside a longer digit run', `${CNP_MALE_1996}7`],
    ['a valid CNP in groups, its last group running on', `4 441119 0952751`],
    ['a valid CNP in groups joined by slashes', '4/441119/095275'],
    ['a court file number with a slash', 'Dosarul 123/2024, termen 12.03.2026'],
    ['an amount with dot thousands', 'Prejudiciu 1.250.000 lei și 3.400.000.000 lei'],
    ['dates and hours in a row', '28.11.2026 14 30 și 01-12-2026'],
    ['an IBAN with its last digit changed', 'RO49AAAA1B31007593840001'],
    ['an IBAN with its last digit changed, grouped', grouped('RO49AAAA1B31007593840001')],
    ['an IBAN with its check digits changed', 'RO50AAAA1B31007593840000'],
    ['a GB IBAN with a digit changed', 'GB82WEST12345698765433'],
    ['a DE IBAN with a digit changed, grouped', grouped('DE89370400440532013001')],
    ['agency acronyms', 'DIICOT, ANITP, IGPR și DGASPC au participat.'],
    ['a mention, not an address', 'Mulțumesc @echipa, ne vedem mâine'],
    ['an "at" before an hour', 'întâlnire @ 10.30 la sediu'],
    ['a bare 8-digit number without a document keyword', 'Bugetul proiectului: 12345678 lei'],
    [
      'a bare number far from a document keyword',
      'Pașaportul a fost predat. Bugetul alocat în acest trimestru este 12345678 lei.',
    ],
    ['"o serie de" a number', 'o serie de 1234567 de mesaje au fost analizate'],
    ['capitals after a diacritic', 'ȘI 1234567'],
    ['a short number after letters', 'Camera A 123, etajul 2'],
    ['a video-call link', 'https://us06web.zoom.us/j/81234567890?pwd=aBcD1234EfGh5678'],
    [
      'an institutional address with a postal code',
      'Str. Nicolae Titulescu nr. 14, sector 1, cod poștal 011141, sala 2.14',
    ],
    ['a build number', 'versiunea 1.2.3, build 20261128'],
    ['empty text', ''],
  ])('%s', (_, text) => {
    expect(findIdentifier(text)).toBeUndefined();
  });

  test('ordinary minutes in Romanian', () => {
    const minutes = [
      'Minuta ședinței grupului operativ BUC-2026-014, 28.11.2026, ora 10:00–12:30',
      'Participanți: DIICOT (2), IGPR (3), ANITP (1), DGASPC Sector 3 (2), ONG parteneră (1).',
      '',
      '1. Situația dosarului nr. 1234/3/2026: au fost identificate 12 victime, dintre care 3 minore.',
      '   Încadrare: art. 210 Cod penal (trafic de persoane) și art. 211 (trafic de minori).',
      '2. Prejudiciul estimat: 15.000 lei; sechestru asigurator pe 2 autoturisme.',
      '3. Victimele sunt desemnate prin coduri de caz (V-01 … V-12) și rol; nu se consemnează date de identificare.',
      '4. Decizie: următoarea ședință pe 05.12.2026 la 09:30, sala 2.14.',
      'Acțiuni: coordonatorul TIM-0042 transmite raportul până la 2026-12-01; 45 de întrebări pentru audieri.',
      'Observații: ședința s-a încheiat la 12:30; procesul-verbal are 7 pagini și 2 anexe.',
    ].join('\n');
    expect(findIdentifier(minutes)).toBeUndefined();
  });
});

describe('findIdentifier: the most specific kind is reported', () => {
  test.each<[string, string, IdentifierKind]>([
    ['phone before CNP', `tel. 0722 123 456, CNP ${CNP_MALE_1996}`, 'CNP'],
    ['passport before IBAN', `pașaport AB1234567, cont ${IBAN_DE}`, 'IBAN'],
    ['phone before e-mail', 'tel. 0722 123 456 sau ion@exemplu.ro', 'EMAIL'],
    ['passport before phone', 'XV 123456, tel. +40 722 123 456', 'PHONE'],
  ])('%s', (_, text, kind) => {
    expect(findIdentifier(text)).toBe(kind);
  });
});

describe('screenText', () => {
  const examples: [IdentifierKind, string, string][] = [
    ['CNP', CNP_MALE_1996, 'a personal identification number (CNP)'],
    ['IBAN', grouped(IBAN_RO), 'a bank account number (IBAN)'],
    ['EMAIL', 'ion.popescu1990@gmail.com', 'an e-mail address'],
    ['PHONE', '0722 123 456', 'a phone number'],
    ['PASSPORT', 'AB1234567', 'a passport or identity document number'],
  ];

  function caught(field: string, text: string): DomainError {
    try {
      screenText(field, text);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    }
    throw new Error('screenText did not throw');
  }

  test.each(examples)('%s: BAD_USER_INPUT naming the field and the kind, never the value', (kind, value, label) => {
    const error = caught('description', `Nota din ședință: persoana are ${value}, de verificat.`);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toEqual({ field: 'description', identifier: kind });
    expect(error.message).toBe(
      `"description" seems to contain ${label}. Do not store personal identifiers in the hub: refer to people by case code and role.`,
    );
    expect(error.message).not.toContain(value);
    expect(error.message).not.toMatch(/\d/);
    expect(JSON.stringify(error.extensions)).not.toMatch(/\d/);
  });

  test.each([null, undefined, '', 'Ședința din 28.11.2026, ora 14:30, dosar BUC-2026-014.'])('passes %p', (text) => {
    expect(() => screenText('title', text)).not.toThrow();
  });
});

describe('screenFields', () => {
  function caught(fields: Record<string, string | null | undefined>): DomainError {
    try {
      screenFields(fields);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    }
    throw new Error('screenFields did not throw');
  }

  test('reports the first offending field, in key order', () => {
    const error = caught({
      title: 'Ședința BUC-2026-014',
      description: 'Martorul: 0722 123 456',
      comment: `CNP ${CNP_MALE_1996}`,
    });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toEqual({ field: 'description', identifier: 'PHONE' });
    expect(error.message.startsWith('"description"')).toBe(true);
  });

  test('null and undefined fields pass; clean fields pass', () => {
    expect(() =>
      screenFields({ title: 'Ședința din 28.11.2026', description: null, comment: undefined }),
    ).not.toThrow();
    expect(() => screenFields({})).not.toThrow();
  });
});

describe('linear time: large and adversarial inputs finish', () => {
  const SIZE = 200_000;

  function repeatTo(chunk: string, size = SIZE): string {
    return chunk.repeat(Math.ceil(size / chunk.length)).slice(0, size);
  }

  const mixed = repeatTo(
    [
      'Ședința BUC-2026-014 din 28.11.2026, ora 14:30: 12 victime, art. 210 Cod penal, 15.000 lei, dosar 1234/3/2026. ',
      `Număr ${wrongCheck(CNP_MALE_1996)}; cont RO49AAAA1B31007593840001; @echipa; +150.000.000 lei; ȘI 1234567; `,
      'o serie de 1234567 de mesaje; 2026-11-28; DIICOT ANITP TIM-0042.\n',
    ].join(''),
  );

  test.each<[string, string]>([
    ['200 KB of mixed meeting text', mixed],
    ['200 KB of digits', repeatTo('1234567890')],
    ['200 KB of letters', repeatTo('a')],
    ['200 KB of "@"', repeatTo('@')],
    ['200 KB of local-part characters and "@"', repeatTo('a.b-c_d+e%f@')],
    ['200 KB of dotted labels', repeatTo('a.')],
    ['200 KB of digits and separators', repeatTo('0 7 2.2-')],
    ['200 KB of IBAN-like groups', repeatTo('RO49 AAAA ')],
    ['200 KB of "+" and digits', repeatTo('+1 ')],
    ['200 KB of document keywords', repeatTo('pașaport CI seria ')],
    ['200 KB of near-miss phone numbers', repeatTo('0722 1234 56 ')],
  ])('%s', (_, text) => {
    expect(text.length).toBe(SIZE);
    findIdentifier(text);
  });

  test('200 KB of mixed text holds nothing, and a CNP at its very end is found', () => {
    expect(findIdentifier(mixed)).toBeUndefined();
    expect(findIdentifier(`${mixed} ${CNP_FOREIGNER}`)).toBe('CNP');
  });
});

function toFullWidth(digits: string): string {
  return [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
}
