/**
 * Referrals in a real browser (Debian's Chromium, playwright-core) against the built hub: the police
 * record a victim's informed consent and refer the case to the victim-support NGO; the NGO accepts
 * and reads the section it was given; a hearing's readiness checklist is completed by its owner
 * agencies; and when the police withdraw the consent, the NGO's open case page loses that section
 * live, without a reload. Screenshots go to docs/screenshots/referrals-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT, type Running, start } from '../utils/process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'browser-referrals-password-1';
// The police may share what they may read; the NGO may not read the investigation by its agency kind.
const SHARED_SECRET = 'The recruiter drove the victims to Constanța in a rented van';
const WAIT = 15_000;

interface Person {
  token: string;
  agencyId: string;
}

let hub: Running;
let dataDir: string;
let gql: GraphQLClient;
let browser: Browser;
let taskForceId: string;
let police: Person;
let ngo: Person;
let caseId: string;
let policePage: Page;
const dialogs: string[] = [];
let ngoPage: Page;

async function person(email: string): Promise<Person> {
  const { login } = await gql.data(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
    { e: email, p: PASSWORD },
  );
  const { me } = await gql.data(`{ me { agency { id } } }`, {}, { token: login.accessToken });
  return { token: login.accessToken, agencyId: me.agency.id };
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(hub.url);
  await page.getByTestId('language').selectOption('en');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${hub.url}/t/${taskForceId}`, { timeout: WAIT });
  await page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: WAIT });
}

/** A full-page picture from the top, so the sticky header is not drawn over the middle of the page. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function openReferrals(page: Page): Promise<void> {
  await page.goto(`${hub.url}/t/${taskForceId}/referrals`);
  await page.getByTestId('referral-case').selectOption(caseId);
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
  dataDir = mkdtempSync(join(tmpdir(), 'hub-browser-referrals-'));
  [hub, browser] = await Promise.all([
    start('hub', { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOGIN_RATE_LIMIT: '1000' }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    }),
  ]);
  gql = new GraphQLClient(`${hub.url}/graphql`);
  [police, ngo] = await Promise.all(['police.cra@demo.local', 'ngo.cra@demo.local'].map(person));
  const { taskForces } = await gql.data(`{ taskForces { id code } }`, {}, { token: police.token });
  taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'CRA').id;
  const { createCaseSummary } = await gql.data(
    `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }`,
    {
      input: {
        taskForceId,
        caseCode: 'CRA-2026-REF',
        stage: 'INVESTIGATION',
        sections: { overview: 'Two victims of labour exploitation.', investigation: SHARED_SECRET },
      },
    },
    { token: police.token },
  );
  caseId = createCaseSummary.id;
  const context = () => browser.newContext({ viewport: { width: 1280, height: 1000 }, timezoneId: 'Europe/Bucharest' });
  policePage = await (await context()).newPage();
  ngoPage = await (await context()).newPage();
  policePage.setDefaultTimeout(WAIT);
  ngoPage.setDefaultTimeout(WAIT);
  // Nothing asks in a browser dialog any more (a decline's reason is asked in place): any would be noted here.
  for (const page of [policePage, ngoPage])
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
});

afterAll(async () => {
  if (hub && (hub.child.exitCode !== null || hub.child.signalCode !== null))
    console.error(`The hub exited during the suite:\n${hub.output().slice(-4000)}`);
  await browser?.close();
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('referrals in the browser', () => {
  it('police refer a case to the NGO with consent; without it the referral is refused', async () => {
    await signIn(policePage, 'police.cra@demo.local');
    await openReferrals(policePage);
    const referral = policePage.getByTestId('referral-form');
    await referral.locator('select[name=toAgency]').selectOption(ngo.agencyId);
    await referral.locator('input[name=referralSection][value=INVESTIGATION]').check();
    await referral.locator('button[type=submit]').click();
    await referral.locator('[role=alert][data-code=CONSENT_REQUIRED]').waitFor();

    const consent = policePage.getByTestId('consent-form');
    await consent.locator('input[name=purpose][value=ASSISTANCE]').check();
    await consent.locator(`input[name=receiver][value="${ngo.agencyId}"]`).check();
    await consent.locator('input[name=section][value=INVESTIGATION]').check();
    for (const point of ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'])
      await consent.locator(`input[name=point][value=${point}]`).check();
    await consent.locator('input[name=readBack]').check();
    await consent.locator('input[name=language]').fill('română');
    await consent.locator('button[type=submit]').click();
    await consent.getByRole('status').waitFor();
    await policePage.getByTestId('consent').first().waitFor();

    await referral.locator('button[type=submit]').click();
    await referral.getByRole('status').waitFor();
    await policePage.locator('[data-testid=referral][data-status=REQUESTED]').waitFor();
    await shot(policePage, 'referrals-police');
  });

  it('the NGO accepts and reads the section it was given', async () => {
    await signIn(ngoPage, 'ngo.cra@demo.local');
    await ngoPage.goto(`${hub.url}/t/${taskForceId}/referrals`);
    const row = ngoPage.locator('[data-testid=referral][data-status=REQUESTED]');
    await row.getByRole('button', { name: 'Accept' }).click();
    await ngoPage.locator('[data-testid=referral][data-status=ACCEPTED]').waitFor();
    await ngoPage.goto(`${hub.url}/t/${taskForceId}/cases/${caseId}`);
    await expect(ngoPage.getByTestId('section-investigation').innerText()).resolves.toContain(SHARED_SECRET);
    await shot(ngoPage, 'referrals-ngo-reads');
  });

  it('the NGO declines a referral in place, and its reason is required and shown', async () => {
    // A second referral of the case, under the consent given above.
    await gql.data(
      `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`,
      {
        input: { caseSummaryId: caseId, toAgencyId: ngo.agencyId, purpose: 'ASSISTANCE', sections: ['INVESTIGATION'] },
      },
      { token: police.token },
    );
    await ngoPage.goto(`${hub.url}/t/${taskForceId}/referrals`);
    const row = ngoPage.locator('[data-testid=referral][data-status=REQUESTED]');
    await row.getByRole('button', { name: 'Decline' }).click();
    const question = row.getByTestId('confirm');
    const decline = question.getByRole('button', { name: 'Yes, decline' });
    // No reason, no decline; Escape keeps the referral as it is.
    await expect(decline.isDisabled()).resolves.toBe(true);
    await ngoPage.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await expect(row.getAttribute('data-status')).resolves.toBe('REQUESTED');
    await row.getByRole('button', { name: 'Decline' }).click();
    await question.getByLabel('Why do you decline? (no personal data)').fill('No shelter place this month');
    await decline.click();
    const declined = ngoPage.locator('[data-testid=referral][data-status=DECLINED]');
    await expect(declined.innerText()).resolves.toContain('No shelter place this month');
    // Back where the next test expects the NGO: on the case, reading the section it was given.
    await ngoPage.goto(`${hub.url}/t/${taskForceId}/cases/${caseId}`);
    await ngoPage.getByTestId('section-investigation').waitFor();
  });

  it("a hearing's checklist is completed by its owners", async () => {
    const items = [
      'SUPPORT_WORKER',
      'INTERPRETER',
      'LEGAL_AID_LAWYER',
      'TESTIMONY_PROTECTION',
      'TRANSPORT',
      'PUBLICATION_DATA_REQUEST',
    ];
    const ngoItems = ['SUPPORT_WORKER', 'INTERPRETER'];
    // The police schedule it on the screen, giving the NGO the support worker and the interpreter.
    await openReferrals(policePage);
    const form = policePage.getByTestId('hearing-form');
    await form.locator('input[name=court]').fill('Tribunalul Dolj');
    const inTenDays = await policePage.evaluate(() => {
      const at = new Date(Date.now() + 10 * 86_400_000);
      at.setMinutes(at.getMinutes() - at.getTimezoneOffset());
      return at.toISOString().slice(0, 16);
    });
    await form.locator('input[name=startsAt]').fill(inTenDays);
    await form.locator('select[name=kind]').selectOption('VICTIM_HEARING');
    for (const item of ngoItems) await form.locator(`select[name=owner-${item}]`).selectOption(ngo.agencyId);
    await form.locator('button[type=submit]').click();
    await policePage.getByTestId('hearing').waitFor();
    expect(await form.locator('input[name=court]').inputValue()).toBe('');
    const ngoHearings = `${hub.url}/t/${taskForceId}/referrals`;
    // The NGO (a second tab of its member) ticks its two items; the interpreter names the language.
    const ngoTab = await ngoPage.context().newPage();
    ngoTab.setDefaultTimeout(WAIT);
    await ngoTab.goto(ngoHearings);
    const ngoHearing = ngoTab.getByTestId('hearing');
    await ngoHearing.locator('input[name=interpreterLanguage]').fill('vietnameză');
    for (const item of ngoItems) {
      await ngoHearing.locator(`[data-item=${item}]`).getByRole('button', { name: 'Mark done' }).click();
      await ngoHearing.locator(`[data-item=${item}][data-state=DONE]`).waitFor();
    }
    // The police own the rest; the NGO may not tick them.
    expect(await ngoHearing.locator('[data-item=TRANSPORT]').getByRole('button').count()).toBe(0);
    await shot(ngoTab, 'referrals-hearing-ngo');
    // The police page, open all along, has seen the NGO's ticks arrive.
    await policePage.locator('[data-testid=hearing] [data-item=INTERPRETER][data-state=DONE]').waitFor();
    const policeHearing = policePage.getByTestId('hearing');
    for (const item of items.filter((i) => !ngoItems.includes(i))) {
      await policeHearing.locator(`[data-item=${item}]`).getByRole('button', { name: 'Mark done' }).click();
      await policeHearing.locator(`[data-item=${item}][data-state=DONE]`).waitFor();
    }
    await policePage.locator('[data-testid=hearing][data-ready=true]').waitFor();
    await ngoTab.locator('[data-testid=hearing][data-ready=true]').waitFor();
    await shot(policePage, 'referrals-hearing-ready');
    // A meeting in two days lists it among the hearings of the next 14 days: court, time, kind, readiness, no case.
    const coordinator = await person('anitp.cra@demo.local');
    const start = Date.now() + 2 * 86_400_000;
    const { scheduleMeeting } = await gql.data(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
      {
        input: {
          taskForceId,
          title: 'Pregătirea termenelor',
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 3_600_000).toISOString(),
        },
      },
      { token: coordinator.token },
    );
    await policePage.goto(`${hub.url}/t/${taskForceId}/meetings/${scheduleMeeting.id}`);
    const upcoming = policePage.getByTestId('meeting-hearings');
    await upcoming.getByRole('heading', { name: 'Hearings in the next 14 days' }).waitFor();
    const line = upcoming.locator('[data-testid=meeting-hearing][data-ready=true]');
    await expect(line.innerText()).resolves.toMatch(/Tribunalul Dolj · Hearing of the victim\s+Ready/);
    expect(await upcoming.innerText()).not.toContain('CRA-2026-REF');
    await shot(policePage, 'referrals-meeting-hearings');
    await ngoTab.close();
  });

  it("a withdrawn consent removes the NGO's view live", async () => {
    await ngoPage.evaluate('window.__notReloaded = true');
    await ngoPage.getByTestId('section-investigation').waitFor();
    await openReferrals(policePage);
    const consent = policePage.getByTestId('consent');
    await consent.getByRole('button', { name: 'Withdraw consent' }).click();
    // Asked in place first: nothing has happened yet.
    await consent.getByTestId('confirm').waitFor();
    await expect(consent.getByRole('button', { name: 'Yes, withdraw' }).isVisible()).resolves.toBe(true);
    expect(await ngoPage.getByTestId('section-investigation').count()).toBe(1);
    await consent.getByRole('button', { name: 'Yes, withdraw' }).click();
    await policePage.locator('[data-testid=referral][data-status=CONSENT_WITHDRAWN]').waitFor();
    await ngoPage.getByTestId('section-investigation').waitFor({ state: 'detached' });
    expect(await ngoPage.evaluate('window.__notReloaded === true')).toBe(true);
    expect(await ngoPage.getByTestId('case-summary').innerText()).not.toContain(SHARED_SECRET);
    await shot(ngoPage, 'referrals-ngo-after-withdrawal');
  });

  it('asked nothing in a browser dialog', () => {
    expect(dialogs).toEqual([]);
  });
});
