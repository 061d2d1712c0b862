import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItemsService } from '@hub/action-items';
import { AuditRecord } from '@hub/audit';
import { DomainEvent } from '@hub/events';
import { MinutesService } from '@hub/exports';
import { Member } from '@hub/identity';
import { AttendanceMode, MeetingsService, MeetingStatus } from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { day, MeetingsFactory, type MeetingRows } from '../factories/meetings.factory';
import { pdfPageImage, pdfText } from '../utils/pdf-text';
import { ROOT } from '../utils/process';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/**
 * The minutes (proces-verbal) in the reader's language, as Markdown and as a PDF read back with
 * pdfjs: held times, chair, present and absent by agency, decisions, action items with labels, and
 * nothing of a linked case's sections.
 */
describe('MinutesService', () => {
  let app: ServiceApp;
  let minutes: MinutesService;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let ngo: Actor;
  let rows: MeetingRows;
  const INVESTIGATION = 'Filaj la depozitul din Constanța, raport către procuror';
  const DECISION = 'Se solicită două locuri suplimentare în adăpost';
  const names = { coordinator: 'Ioana Ștefănescu', ngo: 'Maria Țurcanu', police: 'Radu Pătrașcu' };

  beforeAll(async () => {
    app = await startServiceApp();
    minutes = app.get(MinutesService);
    const identity = new IdentityFactory(app);
    const meetingRows = new MeetingsFactory(app);
    taskForce = await identity.taskForce('BUC'); // a scratch database of its own: the code is free
    const person = async (role: TaskForceRole, kind: AgencyKind, agencyName: string, displayName: string) => {
      const member = await identity.member({ agency: await identity.agency(kind, agencyName) });
      await identity.membership(taskForce, member, role);
      const em = app.em();
      await em.nativeUpdate(Member, { id: member.id }, { displayName });
      return member;
    };
    const coordinatorRow = await person(
      TaskForceRole.COORDINATOR,
      AgencyKind.NATIONAL_AGENCY,
      `ANITP București ${taskForce.code}`,
      names.coordinator,
    );
    const ngoRow = await person(
      TaskForceRole.MEMBER,
      AgencyKind.VICTIM_SUPPORT_NGO,
      `Asociația Sprijin pentru Victime ${taskForce.code}`,
      names.ngo,
    );
    const policeRow = await person(
      TaskForceRole.MEMBER,
      AgencyKind.POLICE,
      `Poliția Română BCCO ${taskForce.code}`,
      names.police,
    );
    [coordinator, ngo] = [await app.actor(coordinatorRow), await app.actor(ngoRow)];
    const linked = await meetingRows.caseSummary(taskForce, policeRow, {
      caseCode: `BUC-${taskForce.code}`,
      overview: 'Trei victime recrutate pentru muncă agricolă.',
      investigation: INVESTIGATION,
    });
    rows = await meetingRows.meeting(taskForce, coordinatorRow, {
      title: 'Ședința lunară de coordonare',
      startsAt: day(-3, 8),
      place: 'Sala de consiliu, București',
      agenda: [{ title: 'Deschidere' }, { title: 'Capacitatea adăposturilor', caseSummary: linked, presenter: ngoRow }],
    });
    const meetings = app.get(MeetingsService);
    const id = rows.meeting.id;
    await meetings.start(coordinator, id);
    await meetings.checkIn(coordinator, id, AttendanceMode.IN_PERSON);
    await meetings.checkIn(ngo, id, AttendanceMode.REMOTE);
    await meetings.advance(coordinator, id);
    await meetings.addNote(ngo, id, rows.agenda[1].id, 'Două locuri libere în Iași.');
    const decision = await meetings.recordDecision(coordinator, id, rows.agenda[1].id, DECISION, linked.id);
    await app.get(ActionItemsService).create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Confirmarea locurilor cu DGASPC',
      dueOn: '2031-03-14',
      assignee: { agencyId: ngoRow.agency.id },
      decisionId: decision.id,
    });
    await meetings.end(coordinator, id);
  });
  afterAll(() => app?.close());

  it('writes a Romanian proces-verbal by default: held times, chair, present and absent by agency, labels', async () => {
    const { filename, markdown } = await minutes.document(ngo, rows.meeting.id);
    const heldDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
    // Named after the day it was held, not the day it was scheduled for (three days ago).
    expect(filename).toBe(`proces-verbal-${taskForce.code.toLowerCase()}-${heldDay}.md`);
    expect(markdown).toContain('# Proces-verbal: Ședința lunară de coordonare');
    expect(markdown).toMatch(/- Ținută: .+, între \d{2}:\d{2} și \d{2}:\d{2} \\\(Europe\/Bucharest\\\)/);
    expect(markdown).toContain(`- Președinte de ședință: ${names.coordinator}, ANITP București ${taskForce.code}`);
    expect(markdown).toContain('Prezenți: 2; absenți: 1.');
    expect(markdown).toContain('| Instituția | Persoana | Prezență | Sosit | Plecat |');
    expect(markdown).toMatch(
      new RegExp(
        `\\| Asociația Sprijin pentru Victime ${taskForce.code} \\| ${names.ngo} \\| de la distanță \\| \\d{2}:\\d{2} \\| \\d{2}:\\d{2} \\|`,
      ),
    );
    expect(markdown).toContain(`| Poliția Română BCCO ${taskForce.code} | ${names.police} | absent |  |  |`);
    expect(markdown).toContain(`- ${DECISION} \\(cazul BUC-${taskForce.code}\\)`);
    expect(markdown).toContain(
      `| Confirmarea locurilor cu DGASPC | Asociația Sprijin pentru Victime ${taskForce.code} | 14 mar. 2031 | Normală | Deschisă |`,
    );
    // Labels, never the program's words.
    for (const code of ['ENDED', 'NORMAL', 'OPEN', 'IN_PERSON', 'REMOTE', 'VICTIM_SUPPORT_NGO'])
      expect(markdown).not.toContain(code);
  });

  it('writes English when asked, with the same facts', async () => {
    const { filename, markdown } = await minutes.document(ngo, rows.meeting.id, 'en');
    expect(filename).toMatch(/^minutes-/);
    expect(markdown).toContain('# Minutes: Ședința lunară de coordonare');
    expect(markdown).toContain(`- Chaired by: ${names.coordinator}`);
    expect(markdown).toContain(`| Poliția Română BCCO ${taskForce.code} | ${names.police} | absent |  |  |`);
    expect(markdown).toContain('| 14 Mar 2031 | Normal | Open |');
  });

  it('prints the PDF with DejaVu: pdfjs reads back the absentees, the decision and the diacritics, and no investigation text', async () => {
    const before = await app.em().count(AuditRecord, { action: 'minutes.exported', subjectId: rows.meeting.id });
    const file = await minutes.file(ngo, rows.meeting.id, 'ro', 'pdf');
    expect(file.contentType).toBe('application/pdf');
    expect(file.filename).toMatch(/^proces-verbal-.+\.pdf$/);
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(file.body)).join('\n');
    expect(text).toContain('Proces-verbal: Ședința lunară de coordonare');
    expect(text).toContain('București');
    expect(text).toContain(`Asociația Sprijin pentru Victime ${taskForce.code}`);
    expect(text).toContain(`${names.police}: absent`);
    expect(text).toContain(`${names.ngo}: de la distanță`);
    expect(text).toContain(DECISION);
    expect(text).toContain('Două locuri libere în Iași.');
    expect(text).toContain('Responsabil');
    // The linked case by its code only: the investigation section (which an NGO may not read) is absent.
    expect(text).toContain(`cazul BUC-${taskForce.code}`);
    expect(text).not.toContain(INVESTIGATION);
    expect(text).not.toContain('Constanța');
    // The same audit record as the Markdown download, saying which format and language.
    const records = await app
      .em()
      .find(AuditRecord, { action: 'minutes.exported', subjectId: rows.meeting.id }, { orderBy: { id: 'desc' } });
    expect(records).toHaveLength(before + 1);
    expect(records[0]).toMatchObject({ actorId: ngo.memberId, details: { format: 'pdf', language: 'ro' } });

    // Drawn as a reader sees it: a PNG of the first page, kept with the client's screenshots.
    const image = await pdfPageImage(file.body);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(join(SCREENSHOTS, 'minutes-pdf-ro.png'), image);
  });

  it('says when a meeting was not held, in the reader language', async () => {
    const cancelled = await new MeetingsFactory(app).meeting(
      taskForce,
      await app.em().findOneOrFail(Member, { id: coordinator.memberId }),
      {
        status: MeetingStatus.SCHEDULED,
      },
    );
    const { markdown } = await minutes.document(ngo, cancelled.meeting.id);
    expect(markdown).toMatch(/- Programată: .+; nu a avut loc: programată/);
    expect(markdown).not.toContain('Președinte de ședință');
  });

  it('does not list as absent someone who joined the task force after the meeting ended', async () => {
    const identity = new IdentityFactory(app);
    const newcomer = await identity.member({ kind: AgencyKind.LABOUR_INSPECTION });
    await identity.membership(taskForce, newcomer, TaskForceRole.MEMBER);
    const { markdown } = await minutes.document(ngo, rows.meeting.id);
    expect(markdown).not.toContain(newcomer.displayName);
    expect(markdown).toContain('Prezenți: 2; absenți: 1.');
  });

  it('leaves the chair out, rather than guess, once the outbox no longer holds who started the meeting', async () => {
    await app.em().nativeDelete(DomainEvent, { meetingId: rows.meeting.id });
    const { markdown } = await minutes.document(ngo, rows.meeting.id);
    expect(markdown).toMatch(/- Ținută: /);
    expect(markdown).not.toContain('Președinte de ședință');
  });
});
