import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItemsService, ActionItemStatus } from '@hub/action-items';
import { bucharestInstant, ManualClock, Metrics } from '@hub/core';
import { MeetingsService } from '@hub/meetings';
import { EmailMode, EmailOutbox, EmailOutboxService, Notification, NotificationsService } from '@hub/notifications';
import { type TaskForce } from '@hub/task-forces';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { IdentityFactory } from '../factories/identity.factory';
import { freePort } from '../utils/ports';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** Planted in every free-text field a notification can follow from; none may reach an e-mail. */
const MARKERS = {
  title: 'zqx-title-marker',
  description: 'zqx-description-marker',
  comment: 'zqx-comment-marker',
  blocked: 'zqx-blocked-marker',
  snooze: 'zqx-snooze-marker',
  meetingTitle: 'zqx-meeting-title-marker',
  place: 'zqx-place-marker',
  callLink: 'https://zqx-call-link-marker.example/room',
  cancel: 'zqx-cancel-marker',
};

interface Mail {
  to: string;
  subject: string;
  text: string;
  raw: string;
}

/** A real SMTP server on loopback: it can be stopped and started again on the same port. */
class LoopbackSmtp {
  readonly mails: Mail[] = [];
  private server?: SMTPServer;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
              this.mails.push({
                to: to?.value[0]?.address ?? '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                raw,
              });
              callback();
            })
            .catch(callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  to(email: string): Mail[] {
    return this.mails.filter((m) => m.to === email);
  }
}

/** Opt-in e-mail through a real SMTP server: counts, kinds and links only, quiet hours, and nothing lost while it is down. */
describe('Notification e-mail', () => {
  const clock = new ManualClock(bucharestInstant('2027-03-10', '10:00'));
  let smtp: LoopbackSmtp;
  let app: ServiceApp;
  let mailer: EmailOutboxService;
  let items: ActionItemsService;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let ngo: Actor;
  let police: Actor;
  let quiet: Actor;
  const emails = new Map<string, string>();

  beforeAll(async () => {
    smtp = new LoopbackSmtp(await freePort());
    await smtp.start();
    app = await startServiceApp({
      clock,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, PUBLIC_URL: 'https://hub.example.ro' },
    });
    mailer = app.get(EmailOutboxService);
    items = app.get(ActionItemsService);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const person = async (role: TaskForceRole, kind: AgencyKind) => {
      const member = await identity.member({ kind });
      await identity.membership(taskForce, member, role);
      const actor = await app.actor(member);
      emails.set(actor.memberId, member.email);
      return actor;
    };
    coordinator = await person(TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    ngo = await person(TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO);
    police = await person(TaskForceRole.MEMBER, AgencyKind.POLICE);
    quiet = await person(TaskForceRole.MEMBER, AgencyKind.LABOUR_INSPECTION);
    const inbox = app.get(NotificationsService);
    await inbox.setPreferences(ngo, { emailMode: EmailMode.IMMEDIATE });
    await inbox.setPreferences(police, { emailMode: EmailMode.DAILY_DIGEST, digestHour: 9 });
    // `quiet` never opts in; the coordinator neither.
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  const mailOf = (actor: Actor) => smtp.to(emails.get(actor.memberId)!);
  /** How many of each kind the mails to a member count, summed over their mails ("2 × overdue"). */
  function counted(actor: Actor, label: string): number {
    return mailOf(actor)
      .flatMap((m) => [...m.text.matchAll(new RegExp(`(\\d+) × ${label}\\n`, 'g'))])
      .reduce((sum, match) => sum + Number(match[1]), 0);
  }

  it('mails counts, kinds and links, and none of the free text the notifications followed from', async () => {
    const item = await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: MARKERS.title,
      description: MARKERS.description,
      dueOn: '2027-03-12',
      assignee: { memberId: ngo.memberId },
    });
    await items.comment(ngo, item.id, MARKERS.comment);
    await items.changeStatus(ngo, item.id, ActionItemStatus.BLOCKED, MARKERS.blocked);
    await app.get(NotificationsService).snooze(ngo, item.id, '2027-03-11', MARKERS.snooze);
    const meetings = app.get(MeetingsService);
    const startsAt = bucharestInstant('2027-03-20', '10:00');
    const meeting = await meetings.schedule(coordinator, {
      taskForceId: taskForce.id,
      title: MARKERS.meetingTitle,
      place: MARKERS.place,
      callLink: MARKERS.callLink,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
    });
    await meetings.cancel(coordinator, meeting.id, MARKERS.cancel);
    await mailer.round();

    expect(mailOf(ngo)).toHaveLength(1);
    expect(mailOf(police)).toHaveLength(1); // the digest: 10:00 is past its hour, 9
    expect(mailOf(quiet)).toEqual([]);
    expect(mailOf(coordinator)).toEqual([]);
    const [mail] = mailOf(ngo);
    expect(mail.subject).toBe('Task Force Hub: 3 new notification(s) / 3 notificări noi');
    expect(counted(ngo, 'assigned to you or your agency')).toBe(1);
    expect(counted(ngo, 'meetings scheduled')).toBe(1);
    expect(counted(ngo, 'meetings cancelled')).toBe(1);
    expect(mail.text).toContain(`https://hub.example.ro/t/${taskForce.id}/actions/${item.id}`);
    expect(mail.text).toContain('ședințe anulate');
    for (const sent of smtp.mails)
      for (const [field, marker] of Object.entries(MARKERS))
        expect({ field, found: sent.raw.includes(marker) || sent.text.includes(marker) }).toEqual({
          field,
          found: false,
        });
  });

  it('keeps quiet hours for what is not urgent, and mails it in the morning', async () => {
    clock.set(bucharestInstant('2027-03-10', '21:00'));
    await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Evening item',
      dueOn: '2027-03-30',
      assignee: { memberId: ngo.memberId },
    });
    await mailer.round();
    expect(mailOf(ngo)).toHaveLength(1);
    clock.set(bucharestInstant('2027-03-11', '08:05'));
    await mailer.round();
    expect(mailOf(ngo)).toHaveLength(2);
    expect(mailOf(ngo)[1].subject).toBe('Task Force Hub: 1 new notification(s) / 1 notificări noi');
    // The police digest waits for its hour the next day.
    expect(mailOf(police)).toHaveLength(1);
  });

  it('keeps mail while the SMTP server is down and sends each once when it is back', async () => {
    await smtp.stop();
    for (const title of ['First while down', 'Second while down'])
      await items.create(coordinator, {
        taskForceId: taskForce.id,
        title,
        dueOn: '2027-03-30',
        assignee: { memberId: ngo.memberId },
      });
    await mailer.round();
    clock.set(bucharestInstant('2027-03-11', '09:30'));
    await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Third while down',
      dueOn: '2027-03-30',
      assignee: { memberId: ngo.memberId },
    });
    await mailer.round();
    const waiting = await app.em().count(EmailOutbox, { sentAt: null });
    expect(waiting).toBe(2);
    const metrics = await app.get(Metrics).registry.getMetricsAsJSON();
    const emailsTotal = metrics.find((m) => m.name === 'hub_notification_emails_total');
    expect(emailsTotal?.values.find((v) => v.labels.outcome === 'failed')?.value).toBeGreaterThanOrEqual(2);
    expect(metrics.find((m) => m.name === 'hub_notification_emails_waiting')?.values[0].value).toBe(2);

    await smtp.start();
    await mailer.round();
    await mailer.round();
    expect(await app.em().count(EmailOutbox, { sentAt: null })).toBe(0);
    // Every ASSIGNED notification of the NGO member was mailed exactly once, over all the mails.
    const assigned = await app.em().count(Notification, { member: ngo.memberId, kind: 'ASSIGNED' });
    expect(counted(ngo, 'assigned to you or your agency')).toBe(assigned);
    expect(mailOf(ngo)).toHaveLength(4);
    // Nothing new for the police member since the digest: no empty digest.
    expect(mailOf(police)).toHaveLength(1);
  });
});
