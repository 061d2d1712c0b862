/**
 * The inbox in a real browser (Debian's Chromium driven by playwright-core) against the hub the
 * browser suites share (shared-hub.ts), in Timișoara's task force so that no other suite's data meet
 * it: the victim-support NGO member watches the unread count in the top bar rise when a coordinator
 * assigns an item to their agency, opens it from the inbox, and chooses a daily digest. Screenshots
 * go to docs/screenshots/inbox.png and notification-preferences.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT } from '../utils/process';
import { PASSWORD, sharedHubUrl } from './shared-hub';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const WAIT = 15_000;

let hubUrl: string;
let browser: Browser;
let page: Page;
let gql: GraphQLClient;

async function token(email: string): Promise<string> {
  const { login } = await gql.data(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
    { e: email, p: PASSWORD },
  );
  return login.accessToken;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser suite drives Debian's Chromium. Install it with "apt-get install -y --no-install-recommends chromium" (.ci/run does).`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  hubUrl = sharedHubUrl();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  gql = new GraphQLClient(`${hubUrl}/graphql`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Bucharest' });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT);
});

afterAll(async () => {
  await browser?.close();
});

describe('the inbox in Chromium', () => {
  it('shows the NGO member the unread count rise when an item is assigned to their agency, and opens it from the list', async () => {
    const coordinator = await token('anitp.tim@demo.local');
    const ngo = await token('ngo.tim@demo.local');
    const { me } = await gql.data('{ me { agency { id } } }', {}, { token: ngo });
    const { taskForces } = await gql.data('{ taskForces { id code } }', {}, { token: coordinator });
    const taskForceId: string = taskForces.find((tf: { code: string }) => tf.code === 'TIM').id;

    await page.goto(hubUrl);
    await page.getByTestId('language').selectOption('en');
    await page.locator('input[name=email]').fill('ngo.tim@demo.local');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${hubUrl}/t/${taskForceId}`);
    const badge = page.getByTestId('unread-count');
    await page.locator('[data-testid=unread-count][data-loaded=true]').waitFor();
    await page.locator('[data-testid=connection-status][data-status=live]').waitFor();
    const before = Number(await badge.getAttribute('data-count'));

    const title = 'Call the shelter about two more places';
    const { createActionItem } = await gql.data(
      'mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }',
      { i: { taskForceId, title, dueOn: '2031-01-15', assignee: { agencyId: me.agency.id } } },
      { token: coordinator },
    );
    await page.locator(`[data-testid=unread-count][data-count="${before + 1}"]`).waitFor();
    // The dashboard's live card names the kind, never the title.
    await page
      .locator('[data-testid=notifications]')
      .getByText('An action item was given to you or your agency')
      .waitFor();

    await badge.click();
    await page.waitForURL(`${hubUrl}/inbox`);
    const entry = page.locator(`[data-testid=inbox-entry][data-subject="${createActionItem.id}"]`);
    await entry.and(page.locator('[data-kind=ASSIGNED][data-read=false]')).waitFor();
    expect(await page.getByTestId('inbox').textContent()).not.toContain(title);
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png'), fullPage: true });

    await entry.getByRole('link').click();
    await page.waitForURL(`${hubUrl}/t/${taskForceId}/actions/${createActionItem.id}`);
    await page.getByTestId('action-detail').getByRole('heading', { name: title }).waitFor();
    await page.locator(`[data-testid=unread-count][data-count="${before}"]`).waitFor();

    // The preferences page, reached from the inbox: a daily digest at 07:00 is kept across a reload.
    await badge.click();
    await page.waitForURL(`${hubUrl}/inbox`);
    await page.getByRole('link', { name: 'E-mail preferences' }).click();
    await page.waitForURL(`${hubUrl}/notification-preferences`);
    await page.getByRole('heading', { name: 'Notification e-mails' }).waitFor();
    await page.locator(`[data-testid=unread-count][data-count="${before}"]`).waitFor();
    const digestHour = page.locator('select[name=digestHour]');
    expect(await digestHour.isDisabled()).toBe(true);
    await page.getByLabel('One digest a day').check();
    await digestHour.selectOption('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'notification-preferences.png'), fullPage: true });

    await page.reload();
    await page.getByRole('heading', { name: 'Notification e-mails' }).waitFor();
    await page.locator('input[name=emailMode][value=DAILY_DIGEST]:checked').waitFor();
    expect(await page.locator('select[name=digestHour]').inputValue()).toBe('7');
    const { notificationPreferences } = await gql.data(
      '{ notificationPreferences { emailMode digestHour } }',
      {},
      { token: await token('ngo.tim@demo.local') },
    );
    expect(notificationPreferences).toEqual({ emailMode: 'DAILY_DIGEST', digestHour: 7 });
  });
});
