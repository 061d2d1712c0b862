/**
 * The web client in a real browser (Debian's Chromium driven by playwright-core) against the built
 * hub the browser suites share (shared-hub.ts), in Bucharest's task force: a coordinator and a victim-support NGO member of the same task force,
 * each in their own browser context, run a meeting together, hand an action item over, read a case
 * summary under need to know, and lose and regain the connection. Screenshots of the main screens go
 * to docs/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT } from '../utils/process';
import { ACCESS_TOKEN_TTL_SECONDS, PASSWORD, renewingToken, sharedHubUrl } from './shared-hub';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const INVESTIGATION_SECRET = 'Surveillance of the recruiter continues in Constanța';
const WAIT = 15_000;

interface Person {
  email: string;
  /** For API calls made by the test itself: signs in again before the short-lived token runs out. */
  token(): Promise<string>;
  memberId: string;
  agencyId: string;
}

let hubUrl: string;
let gql: GraphQLClient;
let browser: Browser;
let taskForceId: string;
let coordinator: Person;
let ngo: Person;
let police: Person;
let meetingId: string;
let agenda: { id: string; title: string }[];
let caseId: string;
let coordinatorContext: BrowserContext;
let ngoContext: BrowserContext;
let coordinatorPage: Page;
let ngoPage: Page;
let firstSession: string;

async function person(email: string): Promise<Person> {
  const token = renewingToken(gql, email);
  const { me } = await gql.data(`{ me { id agency { id } } }`, {}, { token: await token() });
  return { email, token, memberId: me.id, agencyId: me.agency.id };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, who: Person, language?: 'en'): Promise<void> {
  await page.goto(hubUrl);
  if (language) await page.getByTestId('language').selectOption(language);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  // One task force: straight to its dashboard.
  await page.waitForURL(`${hubUrl}/t/${taskForceId}`, { timeout: WAIT });
  await live(page);
}

function live(page: Page): Promise<void> {
  return page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: WAIT });
}

function currentItem(page: Page): Locator {
  return page.locator('[data-testid=agenda-item][data-current=true] h3');
}

function actionItem(page: Page, title: string): Locator {
  return page.locator(`[data-testid=meeting-action-items] [data-testid=action-item][data-title="${title}"]`);
}

/** Marks the page; if it is still marked later, nothing was reloaded in between. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate('window.__notReloaded = true');
}

async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate('window.__notReloaded === true')).toBe(true);
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  gql = new GraphQLClient(`${hubUrl}/graphql`);
  [coordinator, ngo, police] = await Promise.all(
    ['anitp.buc@demo.local', 'ngo.buc@demo.local', 'police.buc@demo.local'].map(person),
  );
  const { taskForces } = await gql.data(`{ taskForces { id code } }`, {}, { token: await coordinator.token() });
  taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'BUC').id;

  // What the scenario needs is created here, not taken from the demo data.
  const startsAt = new Date(Date.now() + 3_600_000);
  const { scheduleMeeting } = await gql.data(
    `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id title } } }`,
    {
      input: {
        taskForceId,
        title: 'Browser suite coordination meeting',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
        place: 'Room 2',
        agenda: [
          { title: 'Opening and attendance' },
          { title: 'Shelter capacity for new referrals' },
          { title: 'Any other business' },
        ],
      },
    },
    { token: await coordinator.token() },
  );
  meetingId = scheduleMeeting.id;
  agenda = scheduleMeeting.agenda;
  const { createCaseSummary } = await gql.data(
    `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }`,
    {
      input: {
        taskForceId,
        caseCode: 'BUC-2026-BRW',
        stage: 'INVESTIGATION',
        counts: { victims: 3, minors: 1, victimsInProceedings: 2, protectedWitnesses: 1 },
        sections: {
          overview: 'Three victims recruited for agricultural work abroad.',
          investigation: INVESTIGATION_SECRET,
        },
      },
    },
    { token: await police.token() },
  );
  caseId = createCaseSummary.id;

  coordinatorContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Bucharest',
  });
  // The NGO member follows on a phone-sized screen.
  ngoContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Europe/Bucharest',
  });
  coordinatorPage = await coordinatorContext.newPage();
  ngoPage = await ngoContext.newPage();
  coordinatorPage.setDefaultTimeout(WAIT);
  ngoPage.setDefaultTimeout(WAIT);
});

afterAll(async () => {
  await browser?.close();
});

describe('the web client in Chromium: a coordinator and an NGO member in one task force', () => {
  it('signs both in (Romanian by default, English when chosen) and shows the dashboard', async () => {
    await ngoPage.goto(hubUrl);
    await ngoPage.locator('input[name=email]').waitFor();
    expect(await ngoPage.locator('html').getAttribute('lang')).toBe('ro');
    expect(await ngoPage.locator('button[type=submit]').textContent()).toBe('Intră în cont');
    await shot(ngoPage, 'sign-in-phone');

    await Promise.all([signIn(coordinatorPage, coordinator, 'en'), signIn(ngoPage, ngo)]);
    firstSession = String(await ngoPage.evaluate("localStorage.getItem('tfh.session')"));
    expect(await coordinatorPage.locator('html').getAttribute('lang')).toBe('en');
    await coordinatorPage.getByRole('heading', { name: 'Upcoming meetings' }).waitFor();
    await coordinatorPage.getByRole('link', { name: 'Browser suite coordination meeting' }).waitFor();
    // Each sees the other online.
    await coordinatorPage.locator(`[data-testid=online] [data-member-id="${ngo.memberId}"]`).waitFor();
    await shot(coordinatorPage, 'dashboard');
    await shot(ngoPage, 'dashboard-phone');
  });

  it('runs the meeting live: start, advance, decide, assign to the NGO agency; the member takes it and marks it done', async () => {
    await Promise.all([
      coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/meetings/${meetingId}`),
      ngoPage.goto(`${hubUrl}/t/${taskForceId}/meetings/${meetingId}`),
    ]);
    await Promise.all([live(coordinatorPage), live(ngoPage)]);
    await Promise.all([markNoReload(coordinatorPage), markNoReload(ngoPage)]);
    await ngoPage.locator('[data-testid=meeting][data-status=SCHEDULED]').waitFor();

    await coordinatorPage.getByRole('button', { name: 'Start the meeting' }).click();
    await ngoPage.locator('[data-testid=meeting][data-status=LIVE]').waitFor();
    await currentItem(ngoPage).getByText(agenda[0].title).waitFor();

    await coordinatorPage.getByRole('button', { name: 'Next agenda item' }).click();
    await currentItem(ngoPage).getByText(agenda[1].title).waitFor();
    expect(await ngoPage.locator('[data-testid=agenda-item][data-current=true]').count()).toBe(1);

    await ngoPage.getByRole('button', { name: 'Sunt în sală' }).click();
    await coordinatorPage
      .locator(`[data-testid=attendance] li[data-member-id="${ngo.memberId}"][data-present=true][data-connected=true]`)
      .waitFor();

    const decision = 'Two more shelter places are requested from the county social services.';
    await coordinatorPage.getByPlaceholder(`Decision on “${agenda[1].title}”`).fill(decision);
    await coordinatorPage.getByRole('button', { name: 'Record the decision' }).click();
    await ngoPage.locator('[data-testid=decisions]').getByText(decision).waitFor();

    const title = 'Confirm shelter places with the county';
    const form = coordinatorPage.locator('form.assign-form');
    await form.locator('input[name=title]').fill(title);
    await form.locator('select[name=assignee]').selectOption(`agency:${ngo.agencyId}`);
    await form.getByRole('button', { name: 'Assign' }).click();
    await actionItem(ngoPage, title).and(ngoPage.locator('[data-status=OPEN]')).waitFor();
    await shot(coordinatorPage, 'meeting-coordinator');
    await shot(ngoPage, 'meeting-member-phone');

    await actionItem(ngoPage, title).getByRole('button', { name: 'Preiau sarcina' }).click();
    await actionItem(coordinatorPage, title).and(coordinatorPage.locator('[data-status=IN_PROGRESS]')).waitFor();
    await actionItem(ngoPage, title).getByRole('button', { name: 'Marchează finalizată' }).click();
    await actionItem(coordinatorPage, title).and(coordinatorPage.locator('[data-status=DONE]')).waitFor();
    await actionItem(ngoPage, title).and(ngoPage.locator('[data-status=DONE]')).waitFor();
    await shot(coordinatorPage, 'meeting-item-done');

    await Promise.all([expectNotReloaded(coordinatorPage), expectNotReloaded(ngoPage)]);
  });

  it('recovers a dropped connection: "reconnecting", then every missed change once', async () => {
    const before = await ngoPage
      .locator('[data-testid=activity] li')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-cursor'))));
    await ngoContext.setOffline(true);
    await ngoPage.locator('[data-testid=connection-status][data-status=reconnecting]').waitFor();
    await shot(ngoPage, 'reconnecting-phone');

    // While the member is away, the coordinator moves on.
    await coordinatorPage.getByRole('button', { name: 'Next agenda item' }).click();
    await currentItem(coordinatorPage).getByText(agenda[2].title).waitFor();
    const missedDecision = 'The next meeting moves to the first Tuesday of the month.';
    await gql.data(
      `mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }`,
      { input: { meetingId, agendaItemId: agenda[2].id, text: missedDecision } },
      { token: await coordinator.token() },
    );
    const missedItem = 'Send the updated referral form';
    await gql.data(
      `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`,
      {
        input: { taskForceId, meetingId, title: missedItem, dueOn: '2031-03-14', assignee: { agencyId: ngo.agencyId } },
      },
      { token: await coordinator.token() },
    );
    await actionItem(coordinatorPage, missedItem).waitFor();
    // Nothing reached the member while offline.
    expect(await currentItem(ngoPage).textContent()).toContain(agenda[1].title);
    expect(await actionItem(ngoPage, missedItem).count()).toBe(0);

    await ngoContext.setOffline(false);
    await live(ngoPage);
    await currentItem(ngoPage).getByText(agenda[2].title).waitFor();
    await ngoPage.locator('[data-testid=decisions]').getByText(missedDecision).waitFor();
    await actionItem(ngoPage, missedItem).waitFor();
    expect(await actionItem(ngoPage, missedItem).count()).toBe(1);
    expect(await ngoPage.locator('[data-testid=decisions]').getByText(missedDecision).count()).toBe(1);

    // The live activity shows each missed event once, in cursor order, with no gap.
    const after = await ngoPage
      .locator('[data-testid=activity] li')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-cursor'))));
    expect(new Set(after).size).toBe(after.length);
    const missed = after.filter((cursor) => !before.includes(cursor)).sort((a, b) => a - b);
    const types = await ngoPage
      .locator('[data-testid=activity] li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(types).toEqual(
      expect.arrayContaining(['meeting.agendaAdvanced', 'meeting.decisionRecorded', 'actionItem.created']),
    );
    expect(missed.length).toBeGreaterThanOrEqual(3);
    expect(missed[missed.length - 1] - missed[0]).toBe(missed.length - 1);
    await shot(ngoPage, 'reconnected-phone');
    await expectNotReloaded(ngoPage);
  });

  it("never shows the NGO member the case summary's investigation section", async () => {
    await ngoPage.goto(`${hubUrl}/t/${taskForceId}/cases/${caseId}`);
    await ngoPage.locator('[data-testid=case-summary]').waitFor();
    await ngoPage.locator('[data-section=OVERVIEW]').waitFor();
    expect(await ngoPage.locator('[data-section=VICTIM_SUPPORT]').count()).toBe(1);
    expect(await ngoPage.locator('[data-section=INVESTIGATION]').count()).toBe(0);
    expect(await ngoPage.locator('[data-section=PROSECUTION]').count()).toBe(0);
    const text = await ngoPage.locator('body').innerText();
    expect(text).not.toContain(INVESTIGATION_SECRET);
    expect(text).not.toContain('Investigație');
    await shot(ngoPage, 'case-summary-ngo-phone');

    // The sections it may read are there, with their text.
    await ngoPage.locator('[data-testid=section-overview]').getByText('Three victims recruited').waitFor();
  });

  it("refuses a personal identifier next to the field, and shows the other person's change on a conflict", async () => {
    const section = ngoPage.locator('[data-section=VICTIM_SUPPORT]');
    await section.getByRole('button', { name: 'Modifică' }).click();
    const box = section.locator('textarea');
    await box.fill('Counselling weekly; the victim can be reached at 0722 123 456.');
    await section.getByRole('button', { name: 'Salvează' }).click();
    await section.locator('[data-testid=field-error]').waitFor();
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await section.locator('[data-testid=field-error]').innerText()).not.toContain('0722');

    // Someone else saves in between: the member's save is refused, their text stays, the other change shows.
    const { caseSummary } = await gql.data(
      `query($id: ID!) { caseSummary(id: $id) { version } }`,
      { id: caseId },
      { token: await coordinator.token() },
    );
    const theirs = 'Psychological counselling arranged by the national agency.';
    await gql.data(
      `mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { version } }`,
      { input: { id: caseId, baseVersion: caseSummary.version, sections: { victimSupport: theirs } } },
      { token: await coordinator.token() },
    );
    const mine = 'Counselling weekly; legal aid requested.';
    await box.fill(mine);
    await section.getByRole('button', { name: 'Salvează' }).click();
    await section.locator('[data-testid=conflict]').getByText(theirs).waitFor();
    expect(await box.inputValue()).toBe(mine);
    await shot(ngoPage, 'case-summary-conflict-phone');
    await section.getByRole('button', { name: 'Salvează' }).click();
    await section.locator('[data-testid=section-victimSupport]').getByText(mine).waitFor();
    // Revision history and comparison: the latest two versions by default.
    await ngoPage.getByRole('button', { name: 'Compară' }).click();
    await ngoPage.locator('[data-testid=comparison]').getByText(mine).waitFor();
    expect(await ngoPage.locator('[data-testid=comparison]').innerText()).toContain(theirs);
  });

  it('shows action items as a board, with comments and history; downloads the minutes; issues the calendar link', async () => {
    await ngoPage.goto(`${hubUrl}/t/${taskForceId}/actions?scope=MY_AGENCY&view=board`);
    const done = ngoPage
      .locator('[data-testid=action-board] [data-testid=action-item][data-status=DONE]')
      .filter({ hasText: 'Confirm shelter places with the county' });
    await done.waitFor();
    await shot(ngoPage, 'action-board-phone');
    await done.getByRole('link').click();
    await ngoPage.locator('[data-testid=action-detail][data-status=DONE]').waitFor();
    await ngoPage.locator('textarea').fill('Both places confirmed by phone with the county office.');
    await ngoPage.getByRole('button', { name: 'Adaugă comentariul' }).click();
    await ngoPage.locator('[data-testid=comments]').getByText('Both places confirmed').waitFor();
    // created, taken (assignee and status) and done are all in the history.
    expect(await ngoPage.locator('[data-testid=history] li').count()).toBeGreaterThanOrEqual(3);
    await shot(ngoPage, 'action-item-detail-phone');

    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/meetings/${meetingId}`);
    const [download] = await Promise.all([
      coordinatorPage.waitForEvent('download'),
      coordinatorPage.getByRole('button', { name: 'Download the minutes' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const minutes = readFileSync(await download.path(), 'utf8');
    expect(minutes).toContain('Browser suite coordination meeting');
    expect(minutes).toContain('Two more shelter places are requested');

    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}`);
    await coordinatorPage.getByRole('button', { name: 'Create a calendar link' }).click();
    const feed = await coordinatorPage.getByTestId('calendar-url').getAttribute('href');
    const calendar = await fetch(feed!);
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('BEGIN:VCALENDAR');
    // Revoking asks in place first: the link still works until it is confirmed.
    await coordinatorPage.getByRole('button', { name: 'Revoke the link' }).click();
    await coordinatorPage.getByRole('button', { name: 'Yes, revoke' }).waitFor();
    expect((await fetch(feed!)).status).toBe(200);
    await coordinatorPage.getByRole('button', { name: 'Yes, revoke' }).click();
    await coordinatorPage.getByText('The calendar link no longer works.', { exact: false }).waitFor();
    expect((await fetch(feed!)).status).toBe(404);
  });

  it('kept both signed in by refreshing the short-lived tokens silently, even when an answer is lost, and signs out', async () => {
    const deadline = Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000;
    while (
      String(await ngoPage.evaluate("localStorage.getItem('tfh.session')")) === firstSession &&
      Date.now() < deadline
    )
      await ngoPage.waitForTimeout(500);
    expect(String(await ngoPage.evaluate("localStorage.getItem('tfh.session')"))).not.toBe(firstSession);

    // A refresh whose answer is lost (the page reloaded while it was on its way): the server has
    // rotated the token, the browser still holds the spent one and presents it again. It stays signed in.
    const held = String(await ngoPage.evaluate("localStorage.getItem('tfh.session')"));
    await gql.data('mutation($t: String!) { refreshToken(token: $t) { accessToken } }', {
      t: (JSON.parse(held) as { refreshToken: string }).refreshToken,
    });
    await ngoPage.goto(`${hubUrl}/t/${taskForceId}/cases`);
    const retryDeadline = Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000;
    while (String(await ngoPage.evaluate("localStorage.getItem('tfh.session')")) === held && Date.now() < retryDeadline)
      await ngoPage.waitForTimeout(500);
    expect(await ngoPage.evaluate("localStorage.getItem('tfh.session')")).not.toBeNull();
    expect(String(await ngoPage.evaluate("localStorage.getItem('tfh.session')"))).not.toBe(held);
    await ngoPage.reload();
    await ngoPage.getByRole('link', { name: 'BUC-2026-BRW' }).waitFor();
    await live(ngoPage);
    await ngoPage.getByRole('button', { name: 'Ieși din cont' }).click();
    await ngoPage.locator('input[name=email]').waitFor();
    expect(await ngoPage.evaluate("localStorage.getItem('tfh.session')")).toBeNull();
  });
});
