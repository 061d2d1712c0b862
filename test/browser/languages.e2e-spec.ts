/**
 * The client in the reader's language, in Chromium against the built hub: a coordinator in English
 * on a desktop and a victim-support NGO member in Romanian on a phone. It asserts the exact
 * sentences of the live activity, an action item's history and three refusals (a personal
 * identifier, a conflicting save, a wrong password) in both languages; that a Romanian page holds no
 * id, no enum code and no English; the meeting's layout on a phone and the board at 1366 px; the
 * confirmation before ending a meeting; and the minutes in Romanian, as Markdown and as a PDF read
 * back with pdfjs. Screenshots go to docs/screenshots/ (file names ending in -i18n or -ro/-en).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { validCnp } from '../factories/cnp';
import { GraphQLClient } from '../utils/graphql-client';
import { pdfText } from '../utils/pdf-text';
import { ROOT } from '../utils/process';
import { PASSWORD, renewingToken, sharedHubUrl } from './shared-hub';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const WAIT = 15_000;
const INVESTIGATION_SECRET = 'Filaj la depozitul din Constanța';
const MEETING = 'Ședința de coordonare a grupului';
const AGENDA = ['Deschidere și prezență', 'Capacitatea adăposturilor', 'Diverse'];
const ITEM = 'Confirmarea locurilor cu județul';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i;
/** Enum values and event types as the program writes them. */
const CODES =
  /\b(SCHEDULED|LIVE|ENDED|CANCELLED|OPEN|IN_PROGRESS|BLOCKED|DONE|LOW|NORMAL|HIGH|URGENT|IN_PERSON|REMOTE|COORDINATOR|MEMBER|OBSERVER|OVERVIEW|INVESTIGATION|PROSECUTION|VICTIM_SUPPORT|BAD_USER_INPUT|CONFLICT|FORBIDDEN|NOT_FOUND)\b|\b(meeting|actionItem|caseSummary|membership)\.[a-zA-Z]+\b/;
/**
 * English words that have no business on a Romanian page (the app's name aside); bounded by letters
 * of any script, so "toți" does not count as "to".
 */
const ENGLISH =
  /(?<!\p{L})(the|and|of|to|is|Meeting|Meetings|Agenda|Attendance|Download|Sign|Live|activity|opened|started|created|changed|moved|assigned|took|Decision|Decisions|Notes|Due|Open|Done|Now|discussing|Save|Cancel|Action|items?)(?!\p{L})/u;

interface Person {
  email: string;
  token(): Promise<string>;
  memberId: string;
  agencyId: string;
  name: string;
}

let hubUrl: string;
let gql: GraphQLClient;
let browser: Browser;
let taskForceId: string;
let coordinator: Person;
let ngo: Person;
let police: Person;
let meetingId: string;
let caseId: string;
let desktop: BrowserContext;
let phone: BrowserContext;
let en: Page;
let ro: Page;

async function person(email: string): Promise<Person> {
  const token = renewingToken(gql, email);
  const { me } = await gql.data(`{ me { id displayName agency { id } } }`, {}, { token: await token() });
  return { email, token, memberId: me.id, agencyId: me.agency.id, name: me.displayName };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, who: Person, password = PASSWORD): Promise<void> {
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
}

function live(page: Page): Promise<void> {
  return page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: WAIT });
}

/** The visible text of the page, as a reader sees it. */
function pageText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

async function expectRomanianOnly(page: Page): Promise<void> {
  const text = (await pageText(page)).replace(/Task Force Hub/g, '');
  expect(text.match(UUID)).toBeNull();
  expect(text.match(CODES)).toBeNull();
  expect(text.match(ENGLISH)).toBeNull();
}

function sentences(page: Page, list: 'activity' | 'history'): Promise<string[]> {
  return page.locator(`[data-testid=${list}] li .sentence`).allInnerTexts();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser suite drives Debian's Chromium. Install it with "apt-get install -y --no-install-recommends chromium" (.ci/run does).`,
    );
  }
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/web is missing: run "npm run build" first (npm test does).');
  mkdirSync(SCREENSHOTS, { recursive: true });
  hubUrl = sharedHubUrl();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  gql = new GraphQLClient(`${hubUrl}/graphql`);
  [coordinator, ngo, police] = await Promise.all(
    ['anitp.ias@demo.local', 'ngo.ias@demo.local', 'police.ias@demo.local'].map(person),
  );
  const { taskForces } = await gql.data(`{ taskForces { id code } }`, {}, { token: await coordinator.token() });
  taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'IAS').id;
  const startsAt = new Date(Date.now() + 3_600_000);
  const { scheduleMeeting } = await gql.data(
    `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
    {
      input: {
        taskForceId,
        title: MEETING,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
        place: 'Sala 2, Iași',
        agenda: AGENDA.map((title) => ({ title })),
      },
    },
    { token: await coordinator.token() },
  );
  meetingId = scheduleMeeting.id;
  const { createCaseSummary } = await gql.data(
    `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }`,
    {
      input: {
        taskForceId,
        caseCode: 'IAS-2026-LNG',
        stage: 'INVESTIGATION',
        counts: { victims: 2, minors: 0, victimsInProceedings: 1, protectedWitnesses: 0 },
        sections: { overview: 'Două victime recrutate pentru muncă agricolă.', investigation: INVESTIGATION_SECRET },
      },
    },
    { token: await police.token() },
  );
  caseId = createCaseSummary.id;
  desktop = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Europe/Bucharest' });
  phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Europe/Bucharest',
    acceptDownloads: true,
  });
  en = await desktop.newPage();
  ro = await phone.newPage();
  en.setDefaultTimeout(WAIT);
  ro.setDefaultTimeout(WAIT);
});

afterAll(async () => {
  await browser?.close();
});

describe('the client in the reader’s language: English on a desktop, Romanian on a phone', () => {
  it('refuses a wrong password with a sentence in each language, then signs both in', async () => {
    await Promise.all([en.goto(hubUrl), ro.goto(hubUrl)]);
    await en.getByTestId('language').selectOption('en');
    await Promise.all([signIn(en, coordinator, 'not-the-password'), signIn(ro, ngo, 'not-the-password')]);
    expect(await en.getByTestId('sign-in-error').innerText()).toBe(
      'Sign-in failed: The email or password is not correct.',
    );
    expect(await ro.getByTestId('sign-in-error').innerText()).toBe(
      'Autentificare eșuată: Adresa de e-mail sau parola nu este corectă.',
    );
    await Promise.all([signIn(en, coordinator), signIn(ro, ngo)]);
    await Promise.all([en.waitForURL(`${hubUrl}/t/${taskForceId}`), ro.waitForURL(`${hubUrl}/t/${taskForceId}`)]);
    await Promise.all([live(en), live(ro)]);
    // The tab bar fits a phone: nothing cut off, nothing to scroll sideways for.
    const nav = ro.locator('.mainnav');
    expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await ro.getByRole('link', { name: 'Fișe de caz' }).waitFor();
  });

  it('tells the live activity as sentences, and puts the meeting’s work before the attendance on a phone', async () => {
    const url = `${hubUrl}/t/${taskForceId}/meetings/${meetingId}`;
    await Promise.all([en.goto(url), ro.goto(url)]);
    await Promise.all([live(en), live(ro)]);
    // The chair is in the room, so the minutes list who chaired as present.
    await en.getByRole('button', { name: 'I am in the room' }).click();
    await en.getByRole('button', { name: 'Start the meeting' }).click();
    await ro.locator('[data-testid=meeting][data-status=LIVE]').waitFor();
    await en.getByRole('button', { name: 'Next agenda item' }).click();
    await ro.locator('[data-testid=agenda-item][data-current=true] h3').getByText(AGENDA[1]).waitFor();
    await ro.getByRole('button', { name: 'Particip de la distanță' }).click();

    const roLines = [
      `${ngo.name} participă de la distanță.`,
      `${coordinator.name} a deschis punctul 2 de pe ordinea de zi: ${AGENDA[1]}.`,
      `${coordinator.name} a început ședința.`,
    ];
    const enLines = [
      `${ngo.name} joined remotely.`,
      `${coordinator.name} opened agenda item 2: ${AGENDA[1]}.`,
      `${coordinator.name} started the meeting.`,
    ];
    await ro.getByTestId('activity').getByText(roLines[0], { exact: true }).waitFor();
    await en.getByTestId('activity').getByText(enLines[0], { exact: true }).waitFor();
    // Newest first; the start may have opened the first item too, which is its own sentence.
    expect((await sentences(ro, 'activity')).filter((line) => roLines.includes(line))).toEqual(roLines);
    expect((await sentences(en, 'activity')).filter((line) => enLines.includes(line))).toEqual(enLines);

    // On the phone: the current item (its notes form) comes before the attendance, which is folded.
    const current = await ro.locator('[data-testid=agenda-item][data-current=true]').boundingBox();
    const items = await ro.locator('[data-testid=meeting-action-items]').boundingBox();
    const attendance = await ro.getByTestId('attendance-summary').boundingBox();
    expect(current!.y).toBeLessThan(items!.y);
    expect(items!.y).toBeLessThan(attendance!.y);
    expect(await ro.locator('[data-testid=attendance]').isVisible()).toBe(false);
    // Keyboard order follows: the note box is reached with Tab before the attendance.
    expect(
      await ro.evaluate(`(() => {
        const box = document.querySelector('[data-testid=agenda-item][data-current=true] input');
        const summary = document.querySelector('[data-testid=attendance-summary]');
        return !!box && !!summary && !!(box.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING);
      })()`),
    ).toBe(true);
    await ro.getByTestId('attendance-summary').click();
    await ro.locator(`[data-testid=attendance] li[data-member-id="${ngo.memberId}"][data-present=true]`).waitFor();
    await expectRomanianOnly(ro);
    await shot(ro, 'meeting-phone-ro');
  });

  it('refuses a personal identifier naming the field, in each language, without the server’s words', async () => {
    const cnp = validCnp();
    await ro.getByPlaceholder(`Notă pentru „${AGENDA[1]}”`).fill(`Victima are CNP ${cnp}.`);
    await ro.getByRole('button', { name: 'Adaugă nota' }).click();
    const roError = ro.locator('[data-testid=agenda-item][data-current=true] [data-testid=field-error]');
    await roError.waitFor();
    expect(await roError.innerText()).toBe(
      `Notă pentru „${AGENDA[1]}”: Pare un cod numeric personal (CNP). Descrieți persoana fără a o identifica.`,
    );

    await en.getByPlaceholder(`Decision on “${AGENDA[1]}”`).fill(`Call the victim, CNP ${cnp}.`);
    await en.getByRole('button', { name: 'Record the decision' }).click();
    const enError = en.locator('[data-testid=agenda-item][data-current=true] [data-testid=field-error]').last();
    await enError.waitFor();
    expect(await enError.innerText()).toBe(
      `Decision on “${AGENDA[1]}”: This looks like a personal numeric code (CNP). Describe the person without identifying them.`,
    );
    for (const text of [await roError.innerText(), await enError.innerText()]) {
      expect(text).not.toContain(cnp);
      expect(text).not.toContain('seems to contain');
    }

    const decision = 'Se solicită două locuri suplimentare în adăpost.';
    await en.getByPlaceholder(`Decision on “${AGENDA[1]}”`).fill(decision);
    await en.getByRole('button', { name: 'Record the decision' }).click();
    await ro.locator('[data-testid=decisions]').getByText(decision).waitFor();
  });

  it('tells an action item’s history as sentences in each language', async () => {
    const form = en.locator('form.assign-form');
    await form.locator('input[name=title]').fill(ITEM);
    await form.locator('select[name=assignee]').selectOption(`agency:${ngo.agencyId}`);
    await form.getByRole('button', { name: 'Assign' }).click();
    const card = ro.locator(`[data-testid=meeting-action-items] [data-testid=action-item][data-title="${ITEM}"]`);
    await card.getByRole('button', { name: 'Preiau sarcina' }).click();
    await card.and(ro.locator('[data-status=IN_PROGRESS]')).waitFor();
    await card.getByRole('button', { name: 'Marchează finalizată' }).click();
    await card.and(ro.locator('[data-status=DONE]')).waitFor();
    await card.getByRole('link').click();
    await ro.locator('[data-testid=action-detail][data-status=DONE]').waitFor();
    const itemUrl = ro.url();

    const roHistory = [
      `${coordinator.name} a creat sarcina.`,
      `${ngo.name} a preluat sarcina.`,
      `${ngo.name} a trecut sarcina în starea În lucru.`,
      `${ngo.name} a trecut sarcina în starea Finalizată.`,
    ];
    await ro.locator('[data-testid=history] li').nth(3).waitFor();
    expect((await sentences(ro, 'history')).sort()).toEqual([...roHistory].sort());
    // The item's facts are labelled as facts ("who has it"), not as the assign form's prompts.
    const facts = (page: Page) => page.locator('[data-testid=action-detail] .facts dt').allInnerTexts();
    expect(await facts(ro)).toEqual(['Responsabil', 'Termen', 'Prioritate', 'Ședința']);
    await expectRomanianOnly(ro);
    await shot(ro, 'action-history-phone-ro');

    await en.goto(itemUrl);
    await en.locator('[data-testid=history] li').nth(3).waitFor();
    expect((await sentences(en, 'history')).sort()).toEqual(
      [
        `${coordinator.name} created the item.`,
        `${ngo.name} took the item.`,
        `${ngo.name} moved the item to In progress.`,
        `${ngo.name} moved the item to Done.`,
      ].sort(),
    );
    expect(await facts(en)).toEqual(['Assigned to', 'Due on', 'Priority', 'Meeting']);
    await shot(en, 'action-history-en');
  });

  it('shows a conflicting save as a sentence in each language, naming who saved', async () => {
    const version = async () =>
      (
        await gql.data(
          `query($id: ID!) { caseSummary(id: $id) { version } }`,
          { id: caseId },
          { token: await coordinator.token() },
        )
      ).caseSummary.version as number;
    const saveAs = async (who: Person, text: string) =>
      gql.data(
        `mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { version } }`,
        { input: { id: caseId, baseVersion: await version(), sections: { victimSupport: text } } },
        { token: await who.token() },
      );
    const conflictIn = async (page: Page, other: Person, edit: string, save: string) => {
      await page.goto(`${hubUrl}/t/${taskForceId}/cases/${caseId}`);
      const section = page.locator('[data-section=VICTIM_SUPPORT]');
      await section.getByRole('button', { name: edit }).click();
      await saveAs(other, `Consiliere organizată de ${other.name}.`);
      await section.locator('textarea').fill('Consiliere săptămânală.');
      await section.getByRole('button', { name: save }).click();
      await section.locator('[data-testid=conflict]').waitFor();
      return { section, version: await version() };
    };

    const roConflict = await conflictIn(ro, coordinator, 'Modifică', 'Salvează');
    await roConflict.section
      .locator('[data-testid=conflict]')
      .getByText(
        `Nesalvat: ${coordinator.name} a salvat versiunea ${roConflict.version} cât timp editați. Textul său este afișat mai jos; textul dumneavoastră a rămas în casetă. Verificați-le, apoi salvați din nou.`,
        { exact: true },
      )
      .waitFor();
    await expectRomanianOnly(ro);
    await shot(ro, 'case-conflict-phone-ro');

    const enConflict = await conflictIn(en, ngo, 'Edit', 'Save');
    await enConflict.section
      .locator('[data-testid=conflict]')
      .getByText(
        `Not saved: ${ngo.name} saved version ${enConflict.version} while you were editing. Their text is shown below; your text is still in the box. Check both, then save again.`,
        { exact: true },
      )
      .waitFor();

    // The revision history says who changed what, by label.
    const lines = await ro.locator('[data-testid=revisions] li').allInnerTexts();
    expect(lines.some((line) => line.startsWith(`${police.name} a creat fișa de caz (versiunea 1, `))).toBe(true);
    expect(lines.some((line) => /a modificat secțiunea „Asistența victimelor”\.$/.test(line))).toBe(true);
  });

  it('keeps the board readable at 1366 px: no badge or button spills out of its card', async () => {
    await en.goto(`${hubUrl}/t/${taskForceId}/actions?scope=TASK_FORCE&view=board`);
    await en.locator('[data-testid=action-board] [data-testid=action-item]').first().waitFor();
    const spilling = await en.locator('[data-testid=action-board] [data-testid=action-item]').evaluateAll((cards) =>
      cards
        .filter((card) =>
          [...card.querySelectorAll('*')].some((child) => {
            const outer = card.getBoundingClientRect();
            const inner = child.getBoundingClientRect();
            return inner.right > outer.right + 1 || inner.left < outer.left - 1;
          }),
        )
        .map((card) => card.getAttribute('data-title')),
    );
    expect(spilling).toEqual([]);
    await shot(en, 'action-board-desktop-en');
  });

  it('asks before ending the meeting, then writes the Romanian minutes as Markdown and as a PDF', async () => {
    await en.goto(`${hubUrl}/t/${taskForceId}/meetings/${meetingId}`);
    await en.getByRole('button', { name: 'End the meeting' }).click();
    // The dialog of the coordinator's cycle (issue 14): the question, what is still open, two answers.
    const confirm = en.getByTestId('end-confirmation');
    await confirm.getByText('End the meeting for everyone?').waitFor();
    // Not yet: keeping it changes nothing.
    await confirm.getByRole('button', { name: 'Not yet' }).click();
    expect(await en.locator('[data-testid=meeting]').getAttribute('data-status')).toBe('LIVE');
    await en.getByRole('button', { name: 'End the meeting' }).click();
    await en.getByTestId('end-confirmation').getByRole('button', { name: 'End the meeting now' }).click();
    await ro.goto(`${hubUrl}/t/${taskForceId}/meetings/${meetingId}`);
    await ro.locator('[data-testid=meeting][data-status=ENDED]').waitFor();

    const [markdown] = await Promise.all([
      ro.waitForEvent('download'),
      ro.getByRole('button', { name: 'Descarcă procesul-verbal', exact: true }).click(),
    ]);
    expect(markdown.suggestedFilename()).toMatch(/^proces-verbal-ias-\d{4}-\d{2}-\d{2}\.md$/);
    const minutes = readFileSync(await markdown.path(), 'utf8');
    expect(minutes).toContain(`# Proces-verbal: ${MEETING}`);
    expect(minutes).toContain(`| ${ngo.name} | de la distanță |`);
    expect(minutes).toMatch(new RegExp(`\\| ${police.name} \\| absent \\|`));
    expect(minutes).toContain(`| ${coordinator.name} | în sală |`);
    expect(minutes).toContain('Se solicită două locuri suplimentare în adăpost.');
    expect(minutes).not.toContain(INVESTIGATION_SECRET);

    const [pdf] = await Promise.all([
      ro.waitForEvent('download'),
      ro.getByRole('button', { name: 'Salvează procesul-verbal ca PDF' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^proces-verbal-ias-.+\.pdf$/);
    const text = (await pdfText(readFileSync(await pdf.path()))).join('\n');
    expect(text).toContain('Sala 2, Iași');
    expect(text).toContain('Asociația');
    expect(text).toContain(`${police.name}: absent`);
    expect(text).toContain('Se solicită două locuri suplimentare în adăpost.');
    expect(text).not.toContain(INVESTIGATION_SECRET);

    // The minutes as a reader sees them, for the screenshots: on a desktop, where they are filed.
    const view = await desktop.newPage();
    await view.setViewportSize({ width: 1000, height: 600 });
    await view.setContent(
      `<html lang="ro"><head><style>body { font-family: sans-serif; padding: 1rem 2rem; max-width: 60rem }
        table { border-collapse: collapse } th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left }
      </style></head><body>${new MarkdownIt().render(minutes)}</body></html>`,
    );
    await shot(view, 'minutes-ro');
    await view.close();
  });
});
