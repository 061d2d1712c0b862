import { badInput } from '../errors/domain-error';

/**
 * Free-text screening for personal identifiers (DESIGN.md, "What must never happen": no victim
 * identity in the hub).
 *
 * Every free-text field (case-summary sections, meeting titles, minutes, decisions, action items,
 * comments) goes through `screenText` / `screenFields` before it is written. A hit is refused with
 * BAD_USER_INPUT naming the field and the KIND of identifier; the matched value is never returned,
 * thrown, logged or echoed.
 *
 * Before detection the text is normalised: NFKC (full-width digits become ASCII digits, no-break and
 * narrow spaces become ordinary spaces), invisible characters (soft hyphen, zero-width space/joiners,
 * word joiner, BOM) are removed, and Unicode dashes/minus become '-'.
 *
 * Kinds are checked in the order CNP, IBAN, EMAIL, PHONE, PASSPORT, so the most specific kind is
 * reported (a CNP is also "a 13-digit number", an e-mail address may contain a phone number...).
 *
 * Detection rules:
 *  - CNP: 13 digits, contiguous or written in groups joined by single spaces, dots or dashes
 *    ("4 441119 095275", "4.441119.095275", "4-441119-095275", any grouping, separators may mix),
 *    made of whole groups (never cut out of a longer digit run; letters and other punctuation
 *    around it are fine: "CNP:1960523…"), first digit 1–9, month (digits 4–5) 01–12, day (digits
 *    6–7) 01–31, and a valid check digit (weights 279146358279, sum mod 11, 10 → 1). Slashes,
 *    colons and commas do not join groups, so "123/2024" and "14:30" are never part of one; dates
 *    and amounts ("28.11.2026", "1.250.000 lei") hold too few digits or fail the month, day or check.
 *  - IBAN: 2 letters, 2 digits, then 11–30 letters/digits (15–34 characters in all), either
 *    contiguous or in space-separated groups of four (the last group 1–4), as a whole word,
 *    case-insensitive; the account part holds at least 6 digits; and the ISO 13616 mod-97
 *    checksum is 1.
 *  - EMAIL: local@domain.tld: a local part of up to 64 letters/digits/._%+- characters, a domain of
 *    at least two non-empty labels, the last one 2–24 letters (Unicode letters allowed).
 *  - PHONE:
 *    - Romanian: 0, +40 or 0040 (optionally "+40 (0)"), then the 9-digit national number starting
 *      with 2, 3 (landlines) or 7 (mobiles), with optional single spaces, dots or dashes between
 *      digits; the separator inside the national number is one and the same throughout
 *      ("0722 123 456", "0722.123.456", "+40 722-123-456", "0040.21.123.45.67"), and when there
 *      are three groups or more the middle ones have 2–3 digits and the last 2–4; also
 *      "(021) 123 45 67" / "(0722) 123 456". Not preceded or followed by a digit. Something shaped
 *      like a date followed by more digits ("02 03 2026 10") is not a phone number.
 *    - International: '+' then 8–15 digits with optional single space/dot/dash separators, not
 *      adjacent to other digits; a '+' amount with dot thousands separators ("+150.000.000") is not.
 *  - PASSPORT (passport or identity document number):
 *    - 1–2 uppercase Latin letters then, directly or after one space, 6–9 digits, as a whole word
 *      (not glued to letters, digits or dashes): "AB1234567", "XV 123456", "P12345678".
 *    - a Romanian identity card written with its series: "seria RX nr. 123456", "Seria XV 123456".
 *    - a bare 8–9 digit number whose start is within ~20 characters after a document keyword:
 *      passport/pașaport/pasaport, buletin, identitate/identity, permis, document de călătorie /
 *      travel document, or the uppercase abbreviations CI, C.I., BI, B.I., ID.
 *
 * Known limits, accepted on purpose (the spec pins down the cases):
 *  - False negatives: a CNP split by two or more separator characters ("4 - 441119") or by slashes; a Romanian phone number without its leading
 *    0 ("722 123 456"), with mixed separators ("0722-123 456") or unusual grouping
 *    ("0722 1234 56"); international numbers written with parentheses ("+1 (202) 555-0143") or
 *    with a 00 prefix other than 0040; Romanian 08xx/09xx numbers (toll-free and premium lines
 *    are institutional, not personal); an IBAN grouped other than by four; lowercase document
 *    numbers ("ab1234567"); document letters and number separated by "nr." without the word
 *    "seria"; bare 6–7 digit document numbers; a 13-digit number with a wrong check digit even
 *    when labelled "CNP" (by design); anything spelled out in words or deliberately obfuscated.
 *  - False positives: one or two capital letters and 6–9 digits that are not a document, e.g. a
 *    company VAT code "RO 12345678"; 13-digit numbers that happen to satisfy the CNP rules (about
 *    0.4% of random ones, e.g. some millisecond timestamps), and a list of numbers joined by single
 *    spaces, dots or dashes whose consecutive groups happen to make one; an 8–9 digit number shortly after
 *    "permis" or "identitate" that is not a document number. Screening errs on the side of
 *    refusing: the author rephrases, nothing leaks.
 *
 * Every pattern has bounded repetition and each candidate is validated with bounded work, so
 * screening is linear in the length of the text (no catastrophic backtracking).
 */

export type IdentifierKind = 'CNP' | 'IBAN' | 'PHONE' | 'PASSPORT' | 'EMAIL';

const LABELS: Readonly<Record<IdentifierKind, string>> = {
  CNP: 'a personal identification number (CNP)',
  IBAN: 'a bank account number (IBAN)',
  PHONE: 'a phone number',
  PASSPORT: 'a passport or identity document number',
  EMAIL: 'an e-mail address',
};

/** The first identifier found, or undefined. Never returns the matched text. */
export function findIdentifier(text: string): IdentifierKind | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const normalized = normalize(text);
  for (const [kind, detect] of DETECTORS) {
    if (detect(normalized)) return kind;
  }
  return undefined;
}

/**
 * Throws DomainError BAD_USER_INPUT (extensions { field, identifier: kind }) when `text` holds an
 * identifier. null/undefined pass. The message names the field and the kind, never the value.
 */
export function screenText(field: string, text: string | null | undefined): void {
  if (text === null || text === undefined) return;
  const kind = findIdentifier(text);
  if (kind === undefined) return;
  const error = badInput(
    field,
    `"${field}" seems to contain ${LABELS[kind]}. Do not store personal identifiers in the hub: refer to people by case code and role.`,
  );
  error.extensions.identifier = kind;
  throw error;
}

/** Screens several fields at once: { title: '...', description: '...' }; throws for the first hit (in key order). */
export function screenFields(fields: Record<string, string | null | undefined>): void {
  for (const [field, text] of Object.entries(fields)) screenText(field, text);
}

// ---------------------------------------------------------------------------------------------
// Normalisation and scanning
// ---------------------------------------------------------------------------------------------

const INVISIBLE = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

function normalize(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '-');
}

/**
 * Runs a global pattern over `text` and reports whether `accept` approves a match. A rejected match
 * resumes the scan one character after its start, so an identifier overlapping a rejected candidate
 * is still found. Patterns have bounded length, so this stays linear.
 */
function someMatch(pattern: RegExp, text: string, accept: (match: RegExpExecArray) => boolean = () => true): boolean {
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (accept(match)) {
      pattern.lastIndex = 0;
      return true;
    }
    pattern.lastIndex = match.index + 1;
  }
  return false;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isLetterOrDigitAt(text: string, index: number): boolean {
  return index >= 0 && index < text.length && LETTER_OR_DIGIT.test(text[index]);
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** The one separator used between digit groups, '' when contiguous, or undefined when mixed. */
function uniqueSeparator(text: string): string | undefined {
  const separators = new Set(text.replace(/\d/g, ''));
  if (separators.size > 1) return undefined;
  return separators.size === 0 ? '' : [...separators][0];
}

// ---------------------------------------------------------------------------------------------
// CNP
// ---------------------------------------------------------------------------------------------

/** A run of digit groups joined by single spaces, dots or dashes ("4 441119 095275", "4.441119.095275"). */
const DIGIT_GROUPS = /\d+(?:[ .-]\d+)*/g;
const CNP_LENGTH = 13;
const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9] as const;

function isValidCnp(digits: string): boolean {
  const month = Number(digits.slice(3, 5));
  const day = Number(digits.slice(5, 7));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * CNP_WEIGHTS[i];
  const check = sum % 11 === 10 ? 1 : sum % 11;
  return check === digits.charCodeAt(12) - 48;
}

/**
 * Within one run of groups, any consecutive groups holding exactly 13 digits that make a valid CNP,
 * whole groups only: a CNP is never cut out of the middle of a longer group ("…5" + 13 digits is not
 * one). Work per run is bounded by its groups times 13.
 */
function groupsHoldCnp(groups: string[]): boolean {
  for (let start = 0; start < groups.length; start++) {
    if (groups[start][0] === '0') continue;
    let digits = '';
    for (let end = start; end < groups.length && digits.length < CNP_LENGTH; end++) digits += groups[end];
    if (digits.length === CNP_LENGTH && isValidCnp(digits)) return true;
  }
  return false;
}

function hasCnp(text: string): boolean {
  DIGIT_GROUPS.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DIGIT_GROUPS.exec(text)) !== null) {
    if (groupsHoldCnp(match[0].split(/[ .-]/))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

const IBAN_START = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}/gu;
const IBAN_MIN = 15;
const IBAN_MAX = 34;
const IBAN_MIN_ACCOUNT_DIGITS = 6;

/** End (exclusive) of the ASCII letter/digit run starting at `from`, looking at most `limit` characters. */
function alnumRunEnd(text: string, from: number, limit: number): number {
  let end = from;
  while (end < text.length && end - from <= limit && isAsciiAlnum(text.charCodeAt(end))) end++;
  return end;
}

function isValidIban(candidate: string): boolean {
  const iban = candidate.toUpperCase();
  if (iban.length < IBAN_MIN || iban.length > IBAN_MAX) return false;
  if (digitsOf(iban.slice(4)).length < IBAN_MIN_ACCOUNT_DIGITS) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    remainder = code <= 57 ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
  }
  return remainder === 1;
}

/** Whether an IBAN (contiguous, or grouped by four) starts at `start`, where IBAN_START matched. */
function ibanAt(text: string, start: number): boolean {
  const firstEnd = alnumRunEnd(text, start, IBAN_MAX);
  if (isLetterOrDigitAt(text, firstEnd)) return false; // runs on into a longer word
  if (firstEnd - start > 4) return isValidIban(text.slice(start, firstEnd));

  // "RO49 AAAA 1B31 0075 9384 0000": groups of four, the last one 1–4 characters.
  let compact = text.slice(start, firstEnd);
  let position = firstEnd;
  while (text[position] === ' ') {
    const end = alnumRunEnd(text, position + 1, 4);
    const length = end - position - 1;
    if (length < 1 || length > 4 || isLetterOrDigitAt(text, end)) return false;
    compact += text.slice(position + 1, end);
    if (compact.length > IBAN_MAX) return false;
    if (isValidIban(compact)) return true;
    if (length < 4) return false;
    position = end;
  }
  return false;
}

function hasIban(text: string): boolean {
  return someMatch(IBAN_START, text, (match) => ibanAt(text, match.index));
}

// ---------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------

const EMAIL_LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const EMAIL_DOMAIN_CHAR = /[\p{L}\p{N}.-]/u;
const EMAIL_TLD = /^\p{L}{2,24}$/u;
const EMAIL_LOCAL_MAX = 64;
const EMAIL_DOMAIN_MAX = 253;

function emailAround(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start < EMAIL_LOCAL_MAX && EMAIL_LOCAL_CHAR.test(text[start - 1])) start--;
  if (!/[\p{L}\p{N}]/u.test(text.slice(start, at))) return false;

  let end = at + 1;
  while (end < text.length && end - at <= EMAIL_DOMAIN_MAX && EMAIL_DOMAIN_CHAR.test(text[end])) end++;
  const domain = text.slice(at + 1, end).replace(/[.-]+$/, ''); // a sentence may end right after it
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (labels.some((label) => label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')))
    return false;
  return EMAIL_TLD.test(labels[labels.length - 1]);
}

function hasEmail(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (emailAround(text, at)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------

/** 0 | +40 | 0040 (optionally "+40 (0)"), then the national number 2x/3x/7x: 9 digits. */
const RO_PHONE = /(?<![\d+])(?:((?:\+|00)40)[ .-]?(?:\(0\) ?)?|0)([237](?:[ .-]?\d){8})(?!\d)/g;
/** "(021) 123 45 67", "(0722) 123 456": the rest is counted in code. */
const RO_PHONE_AREA_IN_PARENTHESES = /(?<![\d+])\(0([237]\d{1,3})\) ?(\d(?:[ .-]?\d){3,7})/g;
const INTERNATIONAL_PHONE = /(?<![\d+])\+\d(?:[ .-]?\d){7,14}(?!\d)/g;

const DAY = /^(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^(0[1-9]|1[0-2])$/;
const YEAR = /^(19|20)\d\d$/;

function looksLikeDate(groups: string[]): boolean {
  return groups.length >= 3 && DAY.test(groups[0]) && MONTH.test(groups[1]) && YEAR.test(groups[2]);
}

/**
 * Grouped the way phone numbers are written: with three groups or more, the middle groups have 2–3
 * digits and the last 2–4 ("0722 123 456", "021 123 45 67", "021 123 4567"); the first is free.
 */
function phoneLikeGroups(groups: string[]): boolean {
  if (groups.length <= 2) return true;
  const last = groups[groups.length - 1].length;
  return last >= 2 && last <= 4 && groups.slice(1, -1).every((group) => group.length === 2 || group.length === 3);
}

function isRomanianPhone(match: RegExpExecArray): boolean {
  const internationalPrefix = match[1];
  const national = match[2];
  const separator = uniqueSeparator(national);
  if (separator === undefined) return false;
  if (separator === '') return true;
  const groups = (internationalPrefix === undefined ? `0${national}` : national).split(separator);
  // "02 03 2026 10:00" is a date and an hour, not 021/022…
  return phoneLikeGroups(groups) && !looksLikeDate(groups);
}

function isRomanianPhoneWithArea(match: RegExpExecArray, text: string): boolean {
  const area = match[1];
  const rest = match[2];
  const needed = 9 - area.length;
  let digits = 0;
  let index = 0;
  while (index < rest.length && digits < needed) {
    if (rest.charCodeAt(index) >= 48 && rest.charCodeAt(index) <= 57) digits++;
    index++;
  }
  if (digits < needed) return false;
  const next = index < rest.length ? rest[index] : text[match.index + match[0].length];
  if (next !== undefined && next >= '0' && next <= '9') return false;
  return uniqueSeparator(rest.slice(0, index)) !== undefined;
}

function isInternationalPhone(match: RegExpExecArray): boolean {
  // "+150.000.000 lei" is an amount: dot thousands separators throughout.
  const groups = match[0].slice(1).split('.');
  const thousands =
    groups.length > 1 && groups.slice(1).every((group) => /^\d{3}$/.test(group)) && /^\d{1,3}$/.test(groups[0]);
  return !thousands;
}

function hasPhone(text: string): boolean {
  return (
    someMatch(RO_PHONE, text, isRomanianPhone) ||
    someMatch(RO_PHONE_AREA_IN_PARENTHESES, text, (match) => isRomanianPhoneWithArea(match, text)) ||
    someMatch(INTERNATIONAL_PHONE, text, isInternationalPhone)
  );
}

// ---------------------------------------------------------------------------------------------
// Passport / identity document
// ---------------------------------------------------------------------------------------------

/** "AB1234567", "XV 123456", "P12345678" as a whole word; dashes count as part of the word (case codes). */
const DOCUMENT_NUMBER = /(?<![\p{L}\p{N}-])[A-Z]{1,2} ?\d{6,9}(?![\p{L}\p{N}-])/gu;
/** "seria RX nr. 123456", "Seria XV, numărul 123456", "SERIA KT 123456". */
const ID_CARD_WITH_SERIES =
  /(?<![\p{L}\p{N}])[Ss][Ee][Rr][Ii][AaEe] {0,2}:? {0,2}[A-Z]{1,2} {0,2},? {0,2}(?:(?:[Nn][Rr]\.?|[Nn][Uu][Mm][AaĂă][Rr](?:[Uu][Ll])?) {0,2}:? {0,2})?\d{6,9}(?!\d)/gu;
const BARE_NUMBER = /(?<!\d)\d{8,9}(?!\d)/g;
const DOCUMENT_KEYWORD =
  /pa(?:ss|[sșş]a)po(?:a)?rt|buletin|identit|permis|document de c[aă]l[aă]tori|travel document/giu;
const DOCUMENT_ABBREVIATION = /(?<![\p{L}\p{N}])(?:C\.?I|B\.?I|ID)(?![\p{L}\p{N}])/gu;
/** How far (in characters) the number may start after the end of the keyword. */
const KEYWORD_REACH = 20;
const KEYWORD_WINDOW = 60;

function keywordCloseBefore(text: string, numberStart: number): boolean {
  const window = text.slice(Math.max(0, numberStart - KEYWORD_WINDOW), numberStart);
  const close = (pattern: RegExp) =>
    someMatch(pattern, window, (match) => window.length - (match.index + match[0].length) <= KEYWORD_REACH);
  return close(DOCUMENT_KEYWORD) || close(DOCUMENT_ABBREVIATION);
}

function hasDocumentNumber(text: string): boolean {
  return (
    someMatch(DOCUMENT_NUMBER, text) ||
    someMatch(ID_CARD_WITH_SERIES, text) ||
    someMatch(BARE_NUMBER, text, (match) => keywordCloseBefore(text, match.index))
  );
}

// ---------------------------------------------------------------------------------------------

/** Most specific first. */
const DETECTORS: ReadonlyArray<readonly [IdentifierKind, (text: string) => boolean]> = [
  ['CNP', hasCnp],
  ['IBAN', hasIban],
  ['EMAIL', hasEmail],
  ['PHONE', hasPhone],
  ['PASSPORT', hasDocumentNumber],
];
