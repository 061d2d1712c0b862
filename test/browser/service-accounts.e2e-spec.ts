/**
 * The client-apps screen in Chromium against the built hub: a coordinator creates a service account
 * for the victim-support NGO, issues a key (shown once), which then reads as that agency over the API,
 * registers a webhook, revokes the key and disables the account (each asked in place first, no browser
 * dialog). A member sees no such screen. Screenshot:
 * docs/screenshots/client-apps.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT, type Running, start } from '../utils/process';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'browser-suite-password-1';
const WAIT = 15_000;

let hub: Running;
let dataDir: string;
let browser: Browser;
let gql: GraphQLClient;
let taskForceId: string;

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(hub.url);
  await page.getByTestId('language').selectOption('en');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${hub.url}/t/${taskForceId}`, { timeout: WAIT });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser suites drive Debian's Chromium.`);
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/web is missing: run "npm run build" first (npm test does).');
  dataDir = mkdtempSync(join(tmpdir(), 'hub-browser-sa-'));
  [hub, browser] = await Promise.all([
    start('hub', { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOGIN_RATE_LIMIT: '1000' }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] }),
  ]);
  gql = new GraphQLClient(`${hub.url}/graphql`);
  const { login } = await gql.data(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { e: 'anitp.buc@demo.local', p: PASSWORD },
  );
  const { taskForces } = await gql.data('{ taskForces { id code } }', {}, { token: login.accessToken });
  taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'BUC').id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('a coordinator creates a service account, issues a key that works, adds a webhook, revokes the key and disables the account', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'anitp.buc@demo.local');
  await page.getByRole('link', { name: 'Client apps' }).click();
  await page.getByRole('heading', { name: 'Client apps', level: 1 }).waitFor({ timeout: WAIT });

  await page.getByLabel('Name of the app').fill('Shelter case system');
  const agency = page.getByLabel('Acts for the agency');
  const ngoOption = await agency
    .locator('option', { hasText: /ONG|NGO|Asocia/i })
    .first()
    .getAttribute('value');
  if (!ngoOption) throw new Error('the demo NGO is not among the agencies');
  await agency.selectOption(ngoOption);
  await page.getByRole('button', { name: 'Create' }).click();
  const card = page.locator('article', { has: page.getByRole('heading', { name: 'Shelter case system' }) });
  await card.waitFor({ timeout: WAIT });

  await card.getByRole('button', { name: 'New API key' }).click();
  const secret = (
    (await page.getByTestId('issued-secret').locator('code').textContent({ timeout: WAIT })) ?? ''
  ).trim();
  expect(secret).toMatch(/^tfh_/);
  // The key reads as a member of the NGO would.
  const { me } = await gql.data('{ me { displayName agency { kind } } }', {}, { token: secret });
  expect(me).toEqual({ displayName: 'Shelter case system', agency: { kind: 'VICTIM_SUPPORT_NGO' } });

  await page.getByRole('button', { name: 'I have copied it' }).click();
  await card.getByText(`${secret.slice(0, 12)}…`).waitFor({ timeout: WAIT });
  await card.getByLabel('Webhook address (https://)').fill('https://cases.example.org/hub');
  await card.getByLabel('actionItem.created').check();
  await card.getByRole('button', { name: 'Add webhook' }).click();
  await page
    .getByTestId('issued-secret')
    .getByText(/^whsec_/)
    .waitFor({ timeout: WAIT });
  await card.getByText('https://cases.example.org/hub').waitFor({ timeout: WAIT });
  mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'client-apps.png'), fullPage: true });

  // Removing the webhook asks in place too: it stays listed until confirmed.
  await card.getByRole('button', { name: 'Remove', exact: true }).click();
  await card.getByRole('button', { name: 'Yes, remove' }).waitFor({ timeout: WAIT });
  const hook = card.locator('code', { hasText: 'https://cases.example.org/hub' });
  expect(await hook.count()).toBe(1);
  await card.getByRole('button', { name: 'Yes, remove' }).click();
  await hook.waitFor({ state: 'detached', timeout: WAIT });

  // Revoking asks in place (no browser dialog): the first press only shows the question.
  await card.getByRole('button', { name: 'Revoke' }).click();
  const question = card.getByTestId('confirm');
  await question.getByText(`Revoke the key ${secret.slice(0, 12)}…?`, { exact: false }).waitFor({ timeout: WAIT });
  expect((await gql.data('{ me { displayName } }', {}, { token: secret })).me.displayName).toBe('Shelter case system');
  await question.getByRole('button', { name: 'Yes, revoke the key' }).click();
  await card.getByText(/^revoked /).waitFor({ timeout: WAIT });
  expect((await gql.error('{ me { id } }', {}, { token: secret })).extensions?.code).toBe('UNAUTHENTICATED');

  await card.getByRole('button', { name: 'Disable account' }).click();
  await card.getByTestId('confirm').getByText('Disable Shelter case system?', { exact: false }).waitFor();
  await card.getByRole('button', { name: 'Yes, disable the account' }).click();
  await card.getByText('Disabled', { exact: true }).waitFor({ timeout: WAIT });
  await context.close();
});

it('a member has no client-apps screen', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'police.buc@demo.local');
  await page.getByRole('link', { name: 'Case summaries' }).waitFor({ timeout: WAIT });
  expect(await page.getByRole('link', { name: 'Client apps' }).count()).toBe(0);
  await context.close();
});
