/**
 * The inbox in a real browser (Debian's Chromium driven by playwright-core) against the built hub on
 * the embedded default: the victim-support NGO member watches the unread count in the top bar rise
 * when a coordinator assigns an item to their agency, and opens it from the inbox. The inbox
 * screenshot goes to docs/screenshots/inbox.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT, type Running, start } from '../utils/process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'browser-inbox-password-1';
const WAIT = 15_000;

let hub: Running;
let dataDir: string;
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
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/web is missing: run "npm run build" first (npm test does).');
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'hub-browser-inbox-'));
  [hub, browser] = await Promise.all([
    start('hub', { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOGIN_RATE_LIMIT: '1000' }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    }),
  ]);
  gql = new GraphQLClient(`${hub.url}/graphql`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Bucharest' });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the inbox in Chromium', () => {
  it('shows the NGO member the unread count rise when an item is assigned to their agency, and opens it from the list', async () => {
    const coordinator = await token('anitp.buc@demo.local');
    const ngo = await token('ngo.buc@demo.local');
    const { me } = await gql.data('{ me { agency { id } } }', {}, { token: ngo });
    const { taskForces } = await gql.data('{ taskForces { id code } }', {}, { token: coordinator });
    const taskForceId: string = taskForces.find((tf: { code: string }) => tf.code === 'BUC').id;

    await page.goto(hub.url);
    await page.getByTestId('language').selectOption('en');
    await page.locator('input[name=email]').fill('ngo.buc@demo.local');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${hub.url}/t/${taskForceId}`);
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
    await page.waitForURL(`${hub.url}/inbox`);
    const entry = page.locator(`[data-testid=inbox-entry][data-subject="${createActionItem.id}"]`);
    await entry.and(page.locator('[data-kind=ASSIGNED][data-read=false]')).waitFor();
    expect(await page.getByTestId('inbox').textContent()).not.toContain(title);
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png'), fullPage: true });

    await entry.getByRole('link').click();
    await page.waitForURL(`${hub.url}/t/${taskForceId}/actions/${createActionItem.id}`);
    await page.getByTestId('action-detail').getByRole('heading', { name: title }).waitFor();
    await page.locator(`[data-testid=unread-count][data-count="${before}"]`).waitFor();
  });
});
