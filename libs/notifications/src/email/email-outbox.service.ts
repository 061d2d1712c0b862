import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, HUB_CONFIG, type HubConfig, localDateOf, localMinutesOf, Metrics } from '@hub/core';
import { findLocked, WriteTransaction } from '@hub/events';
import { Member, Membership } from '@hub/identity';
import { createTransport, type Transporter } from 'nodemailer';
import { EmailMode, EmailOutbox, Notification, NotificationPreference } from '../notification.entity';
import { composeEmail } from './email-content';

const QUIET_FROM = 20 * 60;
const QUIET_UNTIL = 8 * 60;
/** How long an instance holds a mail it is sending before another may try it. */
const CLAIM_MS = 60_000;
const EVERY_MS = 5_000;
const BATCH = 50;

export function inQuietHours(at: Date): boolean {
  const minutes = localMinutesOf(at);
  return minutes >= QUIET_FROM || minutes < QUIET_UNTIL;
}

/**
 * E-mail, opt in, in two steps that survive an SMTP server that is away:
 * 1. queue: for each member who chose e-mail, the inbox rows after `mailedUpTo` become one outbox row,
 *    and `mailedUpTo` moves past them, in one transaction under the preference's row lock: each
 *    notification is queued once, whichever instance looks.
 * 2. send: each waiting row is claimed by a conditional UPDATE (only one instance's lands), handed to
 *    SMTP and marked sent. A refusal or an unreachable server leaves it waiting for the next round.
 * Without SMTP_URL neither runs and nothing is queued.
 */
@Injectable()
export class EmailOutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmailOutbox');
  private transport?: Transporter;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly writes: WriteTransaction,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.notifications.smtpUrl);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.transport = createTransport(this.config.notifications.smtpUrl, {
      from: this.config.notifications.mailFrom,
    });
    this.metrics.emailsWaiting.set(0);
    this.timer = setInterval(() => void this.round(), EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.transport?.close();
  }

  /** One queue-and-send round (the timer's; tests call it to go at their own pace). */
  round(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.queue();
        await this.send();
      } catch (error) {
        this.logger.warn(`e-mail round failed: ${(error as Error).message}`);
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Turns what each opted-in member has not been mailed yet into outbox rows. Returns how many. */
  async queue(): Promise<number> {
    if (!this.enabled) return 0;
    const now = this.clock.now();
    const prefs = await this.orm.em.fork().find(NotificationPreference, { emailMode: { $ne: EmailMode.NONE } });
    let queued = 0;
    for (const pref of prefs) if (await this.queueFor(pref.id, now)) queued++;
    return queued;
  }

  private async queueFor(memberId: string, now: Date): Promise<boolean> {
    return this.writes.run(async (em) => {
      const pref = await findLocked(em, NotificationPreference, memberId, 'write');
      if (!pref || pref.emailMode === EmailMode.NONE) return false;
      const today = localDateOf(now);
      if (pref.emailMode === EmailMode.DAILY_DIGEST) {
        if (pref.digestedOn === today || localMinutesOf(now) < pref.digestHour * 60) return false;
      }
      const member = await em.findOne(Member, { id: memberId, disabledAt: null });
      if (!member) return false;
      const rows = await this.unmailed(em, memberId, pref.mailedUpTo);
      if (!rows.length) return false;
      const urgent = rows.some((r) => r.urgent);
      if (pref.emailMode === EmailMode.IMMEDIATE && pref.quietHours && !urgent && inQuietHours(now)) return false;
      const digest = pref.emailMode === EmailMode.DAILY_DIGEST;
      const content = composeEmail(
        this.config.notifications.publicUrl,
        rows.map((r) => ({
          kind: r.kind,
          subjectType: r.subjectType,
          subjectId: r.subjectId,
          taskForceId: r.taskForce.id,
        })),
        digest,
      );
      em.create(EmailOutbox, {
        memberId,
        to: member.email,
        subject: content.subject,
        body: content.text,
        createdAt: now,
        sentAt: null,
        claimedUntil: null,
      });
      pref.mailedUpTo = rows[rows.length - 1].id;
      if (digest) pref.digestedOn = today;
      return true;
    });
  }

  /** The member's inbox rows after `after`, of task forces they still belong to. */
  private async unmailed(em: EntityManager, memberId: string, after: number): Promise<Notification[]> {
    const memberships = await em.find(Membership, { member: memberId }, { fields: ['taskForce'] });
    const taskForces = memberships.map((m) => m.taskForce.id);
    if (!taskForces.length) return [];
    return em.find(
      Notification,
      { member: memberId, id: { $gt: after }, taskForce: { $in: taskForces } },
      { orderBy: { id: 'asc' }, limit: 500 },
    );
  }

  /** Hands waiting mail to SMTP, oldest first; stops at the first failure (the server is likely away). */
  async send(): Promise<number> {
    if (!this.transport) return 0;
    const em = this.orm.em.fork();
    const waiting = await em.find(EmailOutbox, { sentAt: null }, { orderBy: { id: 'asc' }, limit: BATCH });
    let sent = 0;
    for (const mail of waiting) {
      const now = new Date();
      const claimed = await em.nativeUpdate(
        EmailOutbox,
        { id: mail.id, sentAt: null, $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }] },
        { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
      );
      if (!claimed) continue;
      try {
        await this.transport.sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.body,
          // The same id on a retry, so a mail system that got it twice can tell.
          messageId: `<hub-outbox-${mail.id}@task-force-hub>`,
        });
      } catch (error) {
        await em.nativeUpdate(EmailOutbox, { id: mail.id }, { attempts: mail.attempts + 1, claimedUntil: null });
        this.metrics.emails.inc({ outcome: 'failed' });
        if (!this.failing) this.logger.warn(`SMTP: ${(error as Error).message}; e-mails wait and are retried`);
        this.failing = true;
        break;
      }
      await em.nativeUpdate(EmailOutbox, { id: mail.id }, { sentAt: new Date(), claimedUntil: null });
      this.metrics.emails.inc({ outcome: 'sent' });
      if (this.failing) this.logger.log('SMTP: e-mails go out again');
      this.failing = false;
      sent++;
    }
    this.metrics.emailsWaiting.set(await em.count(EmailOutbox, { sentAt: null }));
    return sent;
  }
}
