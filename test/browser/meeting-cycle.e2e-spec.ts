/**
 * The coordinator's whole cycle in Chromium on the hub the browser suites share (shared-hub.ts), in
 * Craiova's task force so its data do not meet the other suites', in separate browser contexts: the coordinator on a desktop
 * (English), a police officer and an NGO member on phones (Romanian, the default). The coordinator saves
 * an agenda as a template, sets up a weekly series from it, prepares the first meeting (reordering with
 * the keyboard), runs it (checks the officer in, assigns an item, decides with a linked case and item),
 * ends it after seeing what is still open, reassigns an overdue item, and schedules the next meeting,
 * which opens with the follow-up section; the NGO member reads "since the last meeting". Removing an
 * agenda item or a member and cancelling an item or a meeting ask in place first (no browser dialog).
 * Screenshots of each new screen go to docs/screenshots/cycle-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT } from '../utils/process';
import { PASSWORD, sharedHubUrl } from './shared-hub';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const WAIT = 15_000;

interface Person {
  email: string;
  token: string;
  memberId: string;
  agencyId: string;
  agencyName: string;
}

let hubUrl: string;
let gql: GraphQLClient;
let browser: Browser;
let taskForceId: string;
let coordinator: Person;
let police: Person;
let ngo: Person;
let caseCode: string;
let coordinatorPage: Page;
let policePage: Page;
let ngoPage: Page;
let meetingUrl: string;

/** Bucharest's calendar day `days` from today. */
const bucharestDay = (days = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date(Date.now() + days * 86_400_000));

async function person(email: string): Promise<Person> {
  const { login } = await gql.data(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
    { e: email, p: PASSWORD },
  );
  const { me } = await gql.data(`{ me { id agency { id name } } }`, {}, { token: login.accessToken });
  return { email, token: login.accessToken, memberId: me.id, agencyId: me.agency.id, agencyName: me.agency.name };
}

/** A full page from the top: a page scrolled by focus would put the sticky header over the content. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `cycle-${name}.png`), fullPage: true });
}

/** Waits until the element has the keyboard focus. */
async function focused(locator: Locator): Promise<void> {
  await locator.page().waitForFunction((el) => el.ownerDocument.activeElement === el, await locator.elementHandle());
}

async function signIn(page: Page, who: Person, language?: 'en'): Promise<void> {
  await page.goto(hubUrl);
  if (language) await page.getByTestId('language').selectOption(language);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(`${hubUrl}/t/${taskForceId}`, { timeout: WAIT });
  await page.locator('[data-testid=connection-status][data-status=live]').waitFor({ timeout: WAIT });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser suite drives Debian's Chromium.`);
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
  [coordinator, police, ngo] = await Promise.all(
    ['anitp.cra@demo.local', 'police.cra@demo.local', 'ngo.cra@demo.local'].map(person),
  );
  const { taskForces } = await gql.data(`{ taskForces { id code } }`, {}, { token: coordinator.token });
  taskForceId = taskForces.find((tf: { code: string }) => tf.code === 'CRA').id;
  caseCode = 'CRA-2026-CYC';
  await gql.data(
    `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }`,
    { input: { taskForceId, caseCode, stage: 'INVESTIGATION' } },
    { token: police.token },
  );
  // The agenda the template is saved from: an earlier one-off meeting.
  const startsAt = new Date(Date.now() + 20 * 86_400_000);
  const { scheduleMeeting } = await gql.data(
    `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
    {
      input: {
        taskForceId,
        title: 'Template source meeting',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        agenda: [{ title: 'Open cases' }, { title: 'Shelter places' }, { title: 'Any other business' }],
      },
    },
    { token: coordinator.token },
  );
  meetingUrl = `${hubUrl}/t/${taskForceId}/meetings/${scheduleMeeting.id}`;

  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Bucharest' });
  const phone = () =>
    browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      timezoneId: 'Europe/Bucharest',
    });
  coordinatorPage = await desktop.newPage();
  policePage = await (await phone()).newPage();
  ngoPage = await (await phone()).newPage();
  for (const page of [coordinatorPage, policePage, ngoPage]) page.setDefaultTimeout(WAIT);
  await Promise.all([signIn(coordinatorPage, coordinator, 'en'), signIn(policePage, police), signIn(ngoPage, ngo)]);
});

afterAll(async () => {
  await browser?.close();
});

describe("the coordinator's cycle in Chromium: prepare, run, follow up", () => {
  let seriesMeetingUrl: string;

  it('saves an agenda as a template and sets up a weekly series from it', async () => {
    await coordinatorPage.goto(meetingUrl);
    const prep = coordinatorPage.getByTestId('preparation');
    await prep.locator('input[name=templateName]').fill('Regular coordination');
    await prep.getByRole('button', { name: 'Save as template' }).click();
    await prep.getByText('Template “Regular coordination” saved.').waitFor();

    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/meetings`);
    await coordinatorPage.getByRole('link', { name: 'Plan a meeting' }).click();
    const form = coordinatorPage.getByTestId('plan-meeting');
    await form.getByRole('radio', { name: 'A series' }).click();
    await form.locator('input[name=title]').fill('CRA weekly coordination');
    await form.locator('select[name=interval]').selectOption('1');
    const weekday = ((new Date(`${bucharestDay()}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    await form.locator('select[name=weekday]').selectOption(String(weekday));
    await form.locator('input[name=startsOn]').fill(bucharestDay());
    await form.locator('input[name=place]').fill('Sala de consiliu');
    await form.locator('select[name=templateId]').selectOption({ label: 'Regular coordination (3 items)' });
    await shot(coordinatorPage, 'plan-series');
    await form.getByRole('button', { name: 'Set up the series and schedule its first meeting' }).click();
    await coordinatorPage.locator('[data-testid=meeting][data-status=SCHEDULED]').waitFor();
    seriesMeetingUrl = coordinatorPage.url();
    const titles = await coordinatorPage.locator('[data-testid=agenda-item] h3').allInnerTexts();
    expect(titles).toEqual(['Open cases', 'Shelter places', 'Any other business']);
  });

  it('prepares the agenda: adds an item and moves it up with the keyboard', async () => {
    const editor = coordinatorPage.getByTestId('agenda-editor');
    await editor.locator('input[name=agendaTitle]').fill('Referrals this week');
    await editor.getByRole('button', { name: 'Add to the agenda' }).click();
    await editor.getByRole('button', { name: 'Move “Referrals this week” up' }).waitFor();
    // An item added by mistake: removing it asks in place (no browser dialog), then takes it off.
    await editor.locator('input[name=agendaTitle]').fill('Added by mistake');
    await editor.getByRole('button', { name: 'Add to the agenda' }).click();
    const mistake = editor
      .getByTestId('agenda-edit-item')
      .filter({ has: coordinatorPage.getByRole('group', { name: 'Order of “Added by mistake”' }) });
    await mistake.getByRole('button', { name: 'Remove', exact: true }).click();
    await mistake.getByTestId('confirm').getByText('Remove “Added by mistake” from the agenda?').waitFor();
    await mistake.getByRole('button', { name: 'Yes, remove it' }).click();
    await mistake.waitFor({ state: 'detached' });
    await editor.getByRole('button', { name: 'Move “Referrals this week” up' }).focus();
    await coordinatorPage.keyboard.press('Enter');
    await coordinatorPage
      .locator('[data-testid=agenda-item]')
      .nth(2)
      .getByRole('heading', { name: 'Referrals this week' })
      .waitFor();
    await shot(coordinatorPage, 'preparation');
  });

  it('runs the meeting: checks the officer in, assigns an item, decides with the case and the item linked', async () => {
    await coordinatorPage.getByRole('button', { name: 'Start the meeting' }).click();
    await coordinatorPage.locator('[data-testid=meeting][data-status=LIVE]').waitFor();
    await policePage.goto(seriesMeetingUrl);
    await policePage.locator('[data-testid=meeting][data-status=LIVE]').waitFor();

    const others = coordinatorPage.getByTestId('check-in-others');
    await others.locator('select[name=otherMember]').selectOption(police.memberId);
    await others.getByRole('button', { name: 'In the room' }).click();
    await policePage
      .locator(`[data-testid=attendance] li[data-member-id="${police.memberId}"][data-present=true]`)
      // On a phone the attendance list is folded under its summary (the meeting's work comes first).
      .waitFor({ state: 'attached' });

    // The officer's note, corrected while the meeting runs.
    await policePage.getByPlaceholder('Notă pentru „Open cases”').fill('Two witnesess identified');
    await policePage.getByRole('button', { name: 'Adaugă nota' }).click();
    await policePage.getByRole('button', { name: 'Corectează' }).click();
    await policePage.locator('input[name=correction]').fill('Two witnesses identified');
    await policePage.getByRole('button', { name: 'Salvează', exact: true }).click();
    await coordinatorPage.locator('[data-testid=notes]').getByText('Two witnesses identified').waitFor();

    const assign = coordinatorPage.locator('form.assign-form');
    expect(await assign.locator('select[name=assignee]').inputValue()).toBe('');
    await assign.locator('input[name=title]').fill('Interview the two witnesses');
    await assign.locator('select[name=assignee]').selectOption(`agency:${police.agencyId}`);
    await assign.getByRole('button', { name: 'Assign' }).click();
    await coordinatorPage
      .locator('[data-testid=meeting-action-items] [data-title="Interview the two witnesses"]')
      .waitFor();

    const decision = coordinatorPage.getByTestId('decision-form');
    await decision.getByPlaceholder('Decision on “Open cases”').fill('Open a joint investigation');
    await decision.getByText('Link a case summary, a review date, action items').click();
    await decision.locator('select[name=decisionCase]').selectOption({ label: caseCode });
    await decision.locator('input[name=reviewOn]').fill(bucharestDay(3));
    await decision.getByLabel('Interview the two witnesses').check();
    await shot(coordinatorPage, 'decision');
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    const recorded = policePage.locator('[data-testid=decisions] li', { hasText: 'Open a joint investigation' });
    await recorded.getByText(caseCode, { exact: false }).waitFor();
    expect(await recorded.innerText()).toContain('Interview the two witnesses');
    await shot(policePage, 'run-phone');
  });

  it('ends the meeting after showing what is still open, and keeps the recorded attendance', async () => {
    await coordinatorPage.getByRole('button', { name: 'End the meeting' }).click();
    const confirm = coordinatorPage.getByTestId('end-confirmation');
    await confirm.getByText('“Interview the two witnesses” is assigned to').waitFor();
    await confirm.getByText('The agenda item “Shelter places” was not reached.').waitFor();
    await shot(coordinatorPage, 'end-confirmation');
    await confirm.getByRole('button', { name: 'End the meeting now' }).click();
    await coordinatorPage.locator('[data-testid=meeting][data-status=ENDED]').waitFor();
    // Nothing is left to run: no empty toolbar.
    expect(await coordinatorPage.getByRole('group', { name: 'coordinator' }).count()).toBe(0);
    await coordinatorPage
      .locator(`[data-testid=attendance] li[data-member-id="${police.memberId}"][data-attended=true]`)
      .waitFor();
    expect(
      await coordinatorPage
        .locator(`[data-testid=attendance] li[data-member-id="${ngo.memberId}"][data-attended=false]`)
        .count(),
    ).toBe(1);
    await shot(coordinatorPage, 'ended-attendance');
  });

  it('reassigns an overdue item, which the NGO member sees counted for them and told since the last meeting', async () => {
    // The shared hub's access tokens are short-lived: sign in again for the API call.
    coordinator = await person(coordinator.email);
    const { createActionItem } = await gql.data(
      `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`,
      {
        input: {
          taskForceId,
          title: 'Confirm shelter places',
          dueOn: bucharestDay(-2),
          assignee: { agencyId: police.agencyId },
        },
      },
      { token: coordinator.token },
    );
    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/actions?scope=TASK_FORCE&due=overdue`);
    await coordinatorPage.getByRole('link', { name: 'Confirm shelter places' }).click();
    const changes = coordinatorPage.getByTestId('item-changes');
    await changes.locator('select[name=reassign]').selectOption(`agency:${ngo.agencyId}`);
    await changes.getByRole('button', { name: 'Reassign' }).click();
    await changes.getByText('Reassigned.').waitFor();
    // The history names the agency in a sentence, not the ids it stores.
    await coordinatorPage.getByTestId('history').getByText(`assigned the item to ${ngo.agencyName}.`).waitFor();
    // The item has been read again by now (the history shows the change): the confirmation is still there.
    expect(await changes.getByText('Reassigned.').isVisible()).toBe(true);
    await shot(coordinatorPage, 'item-changes');

    await ngoPage.goto(`${hubUrl}/t/${taskForceId}`);
    await ngoPage.getByTestId('for-me-count').waitFor();
    expect(await ngoPage.getByTestId('for-me-count').innerText()).toMatch(/[1-9]\d* instituției/);
    await ngoPage.goto(`${hubUrl}/t/${taskForceId}/since`);
    const since = ngoPage.getByTestId('since-last-meeting');
    await since.getByText('a reatribuit „Confirm shelter places”', { exact: false }).waitFor();
    await since.locator(`[data-testid=since-overdue] a[href$="${createActionItem.id}"]`).waitFor();
    await shot(ngoPage, 'since-last-meeting');
  });

  it('schedules the next meeting of the series, which opens with the follow-up section', async () => {
    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/meetings`);
    const series = coordinatorPage.getByTestId('series-list').locator('li', { hasText: 'CRA weekly coordination' });
    await series.getByRole('button', { name: 'Schedule the next meeting' }).click();
    const followUp = coordinatorPage.getByTestId('follow-up');
    await followUp.locator('[data-testid=follow-up-items] [data-title="Interview the two witnesses"]').waitFor();
    expect(await followUp.getByTestId('follow-up-agenda').innerText()).toContain('Shelter places');
    expect(await followUp.getByTestId('follow-up-decisions').innerText()).toContain('Open a joint investigation');
    await shot(coordinatorPage, 'follow-up');
    // The officer sees the same section on a phone.
    await policePage.goto(coordinatorPage.url());
    await policePage.getByTestId('follow-up').getByText('Interview the two witnesses').waitFor();
  });

  it('cancels an action item and a meeting only when the in-place question is confirmed', async () => {
    coordinator = await person(coordinator.email);
    const { createActionItem } = await gql.data(
      `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }`,
      {
        input: {
          taskForceId,
          title: 'Book an interpreter',
          dueOn: bucharestDay(7),
          assignee: { agencyId: ngo.agencyId },
        },
      },
      { token: coordinator.token },
    );
    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/actions/${createActionItem.id}`);
    const changes = coordinatorPage.getByTestId('item-changes');
    const reason = changes.locator('input[name=cancelReason]');
    await reason.fill('The court provides one');
    // Enter in the reason asks, as the button does; nothing is cancelled before the second press.
    await reason.press('Enter');
    const question = changes.getByTestId('confirm');
    await question.getByText('Cancel “Book an interpreter”? The reason stays in its history.').waitFor();
    expect(await coordinatorPage.getByTestId('action-detail').getAttribute('data-status')).toBe('OPEN');
    await question.getByRole('button', { name: 'Yes, cancel the item' }).click();
    await coordinatorPage.locator('[data-testid=action-detail][data-status=CANCELLED]').waitFor();

    const startsAt = new Date(Date.now() + 30 * 86_400_000);
    const { scheduleMeeting } = await gql.data(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
      {
        input: {
          taskForceId,
          title: 'Meeting called off',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        },
      },
      { token: coordinator.token },
    );
    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/meetings/${scheduleMeeting.id}`);
    const prep = coordinatorPage.getByTestId('preparation');
    await prep.locator('summary', { hasText: 'Cancel the meeting' }).click();
    await prep.locator('input[name=cancelReason]').fill('The county office closes that week');
    await prep.locator('form').getByRole('button', { name: 'Cancel the meeting' }).click();
    await prep.getByTestId('confirm').getByText('Cancel this meeting for everyone? Members are notified.').waitFor();
    expect(await coordinatorPage.getByTestId('meeting').getAttribute('data-status')).toBe('SCHEDULED');
    await prep.getByRole('button', { name: 'Yes, cancel the meeting' }).click();
    await coordinatorPage.locator('[data-testid=meeting][data-status=CANCELLED]').waitFor();
  });

  it('removes a member only when the in-place question is confirmed, and adds them back', async () => {
    // The county council's observer, whom no browser suite signs in as; added back at the end.
    const observer = await person('other.cra@demo.local');
    await coordinatorPage.goto(`${hubUrl}/t/${taskForceId}/members`);
    const members = coordinatorPage.getByTestId('members');
    const row = members.locator(`li[data-member-id="${observer.memberId}"]`);
    const name = (await row.locator('strong').innerText()).trim();
    const remove = row.getByRole('button', { name: 'Remove', exact: true });
    const question = row.getByTestId('confirm');
    // The list follows membership events, without a reload: once connected it sees each change.
    await coordinatorPage.locator('[data-testid=connection-status][data-status=live]').waitFor();

    // The first press only asks, focused on the confirming button; keeping them leaves the row as it was.
    await remove.click();
    await question.getByText(`Remove ${name} from the task force? They lose access at once.`).waitFor();
    await focused(question.getByRole('button', { name: 'Yes, remove from the task force' }));
    await question.getByRole('button', { name: 'No, keep it' }).click();
    await focused(remove);
    expect(await row.count()).toBe(1);

    await remove.click();
    await question.getByRole('button', { name: 'Yes, remove from the task force' }).click();
    await row.waitFor({ state: 'detached' });

    const add = members.locator('form');
    await add.locator('input[name=email]').fill(observer.email);
    await add.locator('select[name=role]').selectOption('OBSERVER');
    await add.getByRole('button', { name: 'Add to the task force' }).click();
    await row.waitFor();
    expect(await row.locator('select').inputValue()).toBe('OBSERVER');
  });

  it("takes a coordinator's controls away on the members page as soon as another coordinator makes them a member", async () => {
    // The task force's second coordinator, whom no other browser suite signs in as or relies on.
    const second = await person('diicot.cra@demo.local');
    const { taskForce } = await gql.data(
      `query($id: ID!) { taskForce(id: $id) { members { id member { id } } } }`,
      { id: taskForceId },
      { token: coordinator.token },
    );
    const membershipId = taskForce.members.find((m: { member: { id: string } }) => m.member.id === second.memberId).id;
    const setRole = (role: string) =>
      gql.data(
        `mutation($input: ChangeMembershipRoleInput!) { changeMembershipRole(input: $input) { id role } }`,
        { input: { membershipId, role } },
        { token: coordinator.token },
      );
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, second, 'en');
    await page.goto(`${hubUrl}/t/${taskForceId}/members`);
    await page.locator('[data-testid=connection-status][data-status=live]').waitFor();
    const members = page.getByTestId('members');
    const add = members.locator('form');
    await add.waitFor();
    await setRole('MEMBER');
    try {
      await add.waitFor({ state: 'detached' });
      expect(await members.locator('select').count()).toBe(0);
    } finally {
      await setRole('COORDINATOR');
    }
    await add.waitFor();
    await page.context().close();
  });
});
