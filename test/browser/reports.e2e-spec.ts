/**
 * The programme report in a real browser (Debian's Chromium, playwright-core) against the built hub
 * on the embedded default with its demo year of history: an observer opens the report, sees the
 * charts and the tables beside them, and downloads the XLSX and the PDF, which are read back here
 * (exceljs; pdfjs-dist's legacy build, in a child process because it is an ES module). The national
 * programme member sees the national roll-up with its suppressed cells. Screenshots go to
 * docs/screenshots/reports.png and national-rollup.png.
 */
import { Workbook } from 'exceljs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT, type Running, start } from '../utils/process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'browser-reports-password-1';
const WAIT = 20_000;

let hub: Running;
let dataDir: string;
let browser: Browser;
let gql: GraphQLClient;

/** The PDF's text, page by page, through pdfjs-dist's Node build. */
function pdfText(file: string): string {
  const script = join(dataDir, 'pdf-text.mjs');
  writeFileSync(
    script,
    `import { getDocument } from ${JSON.stringify(join(ROOT, 'node_modules/pdfjs-dist/legacy/build/pdf.mjs'))};
import { readFileSync } from 'node:fs';
const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), useSystemFonts: false }).promise;
const pages = [];
for (let i = 1; i <= doc.numPages; i++) {
  const content = await (await doc.getPage(i)).getTextContent();
  pages.push(content.items.map((item) => item.str).join(' '));
}
process.stdout.write(JSON.stringify({ pages: doc.numPages, text: pages.join('\\n') }));`,
  );
  return execFileSync(process.execPath, [script, file], { encoding: 'utf8' });
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(hub.url);
  await page.getByTestId('language').selectOption('en');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser suite drives Debian's Chromium.`);
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/web is missing: run "npm run build" first (npm test does).');
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'hub-browser-reports-'));
  [hub, browser] = await Promise.all([
    start('hub', { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, LOGIN_RATE_LIMIT: '1000' }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    }),
  ]);
  gql = new GraphQLClient(`${hub.url}/graphql`);
});

afterAll(async () => {
  if (hub && (hub.child.exitCode !== null || hub.child.signalCode !== null))
    console.error(`The hub exited during the suite:\n${hub.output().slice(-4000)}`);
  await browser?.close();
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the programme report in Chromium', () => {
  it('an observer opens the report, sees the charts with their tables, and downloads the XLSX and the PDF', async () => {
    const { login } = await gql.data(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
      { e: 'court.buc@demo.local', p: PASSWORD },
    );
    const { taskForces } = await gql.data(`{ taskForces { id code } }`, {}, { token: login.accessToken });
    const taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'BUC').id;

    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'court.buc@demo.local');
    await page.waitForURL(`${hub.url}/t/${taskForceId}`, { timeout: WAIT });
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`${hub.url}/t/${taskForceId}/reports`, { timeout: WAIT });

    const held = page.getByTestId('report-meetings.held');
    await held.locator('.recharts-wrapper').waitFor({ timeout: WAIT });
    // Every indicator has a chart and a table beside it.
    expect(await page.locator('figure.report-figure').count()).toBe(23);
    expect(await page.locator('figure.report-figure .report-chart .recharts-wrapper').count()).toBe(23);
    expect(await page.locator('figure.report-figure table').count()).toBe(23);
    // The bars are drawn (the demo year has meetings), and the table says what the API says.
    expect(await held.locator('.recharts-bar-rectangle path, .recharts-rectangle').count()).toBeGreaterThan(0);
    const period = await page.getByTestId('period').inputValue();
    const { taskForceReport } = await gql.data(
      `query($tf: ID!, $p: String!) { taskForceReport(taskForceId: $tf, period: $p) { periods { key } tables { indicator rows { key values } } } }`,
      { tf: taskForceId, p: period },
      { token: login.accessToken },
    );
    const heldValues: number[] = taskForceReport.tables.find(
      (t: { indicator: string }) => t.indicator === 'meetings.held',
    ).rows[0].values;
    expect(heldValues.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const cells = await held.locator('tbody td').allTextContents();
    expect(cells.map(Number)).toEqual(heldValues);
    await page.screenshot({ path: join(SCREENSHOTS, 'reports.png'), fullPage: false });

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe(`report-BUC-${period}.xlsx`);
    const book = new Workbook();
    await book.xlsx.load(readFileSync(await xlsx.path()).buffer as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toContain('Glossary');
    const sheet = book.worksheets.find((w) => w.name.endsWith('meetings.held'));
    expect(sheet).toBeDefined();
    expect(sheet!.getRow(2).values).toEqual([
      undefined,
      '',
      ...taskForceReport.periods.map((p: { key: string }) => p.key),
    ]);
    expect((sheet!.getRow(3).values as unknown[]).slice(1)).toEqual(['ALL', ...heldValues]);

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    expect(pdf.suggestedFilename()).toBe(`report-BUC-${period}.pdf`);
    const { pages, text } = JSON.parse(pdfText(await pdf.path())) as { pages: number; text: string };
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('București'); // ș and ț need the embedded DejaVu font
    expect(text).toContain('Chart: Meetings held');
    expect(text).toContain(`Programme report for ${period}`);
    await context.close();
  });

  it('the national programme member sees the national roll-up, small counts suppressed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'national@demo.local');
    await page.waitForURL(`${hub.url}/national`, { timeout: WAIT });
    const scheduled = page.getByTestId('national-meetings.scheduled');
    await scheduled.locator('.recharts-wrapper').waitFor({ timeout: WAIT });
    const rows = await scheduled.locator('tbody th').allTextContents();
    expect(rows).toEqual(['BUC', 'CRA', 'IAS', 'TIM', 'Total']);
    const all = await page.locator('figure.report-figure tbody td').allTextContents();
    expect(all.some((v) => v === '<5')).toBe(true);
    expect(all.filter((v) => ['1', '2', '3', '4'].includes(v))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'national-rollup.png'), fullPage: false });
    await context.close();
  });
});
