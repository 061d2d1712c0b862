import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor } from '@hub/access';
import { AuditService } from '@hub/audit';
import { conflictOnDuplicate, notFound } from '@hub/core';
import { Member, Membership } from '@hub/identity';
import { calendarDateIn, localInstant, Meeting, MeetingSeries, MeetingStatus, nextSeriesDay } from '@hub/meetings';
import { Hearing } from '@hub/referrals';
import { TaskForce } from '@hub/task-forces';
import ical, { ICalEventStatus } from 'ical-generator';
import { createHash, randomBytes } from 'node:crypto';
import { CalendarFeed } from './calendar-feed.entity';
import { calendarFeedRaced } from './exports.errors';
import { WriteTransaction } from '@hub/events';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const DAY = 24 * 3600_000;
/** A hearing has a start, not an end: calendars get a two-hour slot. */
const HEARING_MS = 2 * 3600_000;
const HEARING_SUMMARY: Record<Hearing['kind'], string> = {
  VICTIM_HEARING: 'Court hearing: victim hearing',
  TRIAL: 'Court hearing: trial',
  PRONOUNCEMENT: 'Court hearing: pronouncement',
};

/**
 * The iCalendar feed of a member's meetings and court hearings, behind a secret URL that calendar apps can poll without
 * signing in. It says when and where, never what was discussed; the member can revoke it at any time.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
  ) {}

  /** Issues a new secret (replacing any earlier one) and returns it once; only its hash is kept. */
  async createFeed(actor: Actor): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    // Two requests at once: one feed per member, the other is told to try again.
    await conflictOnDuplicate(calendarFeedRaced, () =>
      this.writes.run(async (em) => {
        await em.nativeDelete(CalendarFeed, { member: actor.memberId });
        em.create(CalendarFeed, { member: em.getReference(Member, actor.memberId), tokenHash: sha256(token) });
        this.audit.record(em, {
          action: 'calendarFeed.created',
          actorId: actor.memberId,
          subjectType: 'Member',
          subjectId: actor.memberId,
          ip: actor.ip,
        });
      }),
    );
    return token;
  }

  async revokeFeed(actor: Actor): Promise<boolean> {
    return this.writes.run(async (em) => {
      const removed = await em.nativeDelete(CalendarFeed, { member: actor.memberId });
      if (removed)
        this.audit.record(em, {
          action: 'calendarFeed.revoked',
          actorId: actor.memberId,
          subjectType: 'Member',
          subjectId: actor.memberId,
          ip: actor.ip,
        });
      return removed > 0;
    });
  }

  /** The feed for a secret; NOT_FOUND for an unknown or revoked secret and for a disabled member. */
  async feed(token: string): Promise<string> {
    const em = this.em.fork();
    const feed =
      typeof token === 'string' && token.length <= 100
        ? await em.findOne(CalendarFeed, { tokenHash: sha256(token) }, { populate: ['member'] })
        : null;
    if (!feed || feed.member.disabledAt) throw notFound('The calendar feed');
    // Memberships as they are now: leaving a task force removes its meetings from the feed.
    const memberships = await em.find(Membership, { member: feed.member.id });
    const taskForces = new Map(
      (await em.find(TaskForce, { id: { $in: memberships.map((m) => m.taskForce.id) } })).map((t) => [t.id, t]),
    );
    const now = Date.now();
    const meetings = await em.find(
      Meeting,
      {
        taskForce: { $in: [...taskForces.keys()] },
        startsAt: { $gte: new Date(now - 90 * DAY), $lte: new Date(now + 400 * DAY) },
      },
      { orderBy: { startsAt: 'asc' } },
    );
    const calendar = ical({
      name: 'Task Force Hub',
      prodId: { company: 'Task Force Hub', product: 'meetings', language: 'EN' },
    });
    const series = await em.find(MeetingSeries, { taskForce: { $in: [...taskForces.keys()] } });
    const seriesById = new Map(series.map((s) => [s.id, s]));
    const latestOfSeries = new Map<string, Date>();
    for (const meeting of meetings) {
      const taskForce = taskForces.get(meeting.taskForce.id)!;
      const ofSeries = meeting.series ? seriesById.get(meeting.series.id) : undefined;
      if (ofSeries) latestOfSeries.set(ofSeries.id, meeting.startsAt);
      calendar.createEvent({
        id: `${meeting.id}@task-force-hub`,
        start: meeting.startsAt,
        end: meeting.endsAt,
        summary: `[${taskForce.code}] ${meeting.title}`,
        location: meeting.place ?? undefined,
        url: meeting.callLink ?? undefined,
        status: meeting.status === MeetingStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        categories: ofSeries ? [{ name: ofSeries.title }] : undefined,
        stamp: meeting.updatedAt,
      });
    }
    // Court hearings too: when and which court, never the case or anything about the victim.
    const hearings = await em.find(
      Hearing,
      {
        taskForce: { $in: [...taskForces.keys()] },
        startsAt: { $gte: new Date(now - 90 * DAY), $lte: new Date(now + 400 * DAY) },
      },
      { orderBy: { startsAt: 'asc' } },
    );
    for (const hearing of hearings) {
      const taskForce = taskForces.get(hearing.taskForce.id)!;
      calendar.createEvent({
        id: `${hearing.id}@task-force-hub`,
        start: hearing.startsAt,
        end: new Date(hearing.startsAt.getTime() + HEARING_MS),
        summary: `[${taskForce.code}] ${HEARING_SUMMARY[hearing.kind]}`,
        location: hearing.court,
        status: ICalEventStatus.CONFIRMED,
        stamp: hearing.createdAt,
      });
    }
    // A series shows ahead of its scheduled meetings: its next days in the coming 90, as tentative.
    for (const s of series) {
      const taskForce = taskForces.get(s.taskForce.id)!;
      const latest = latestOfSeries.get(s.id);
      let day = nextSeriesDay(s, latest ? calendarDateIn(latest) : null);
      for (let n = 0; n < 16; n++, day = nextSeriesDay(s, day)) {
        const start = localInstant(day, s.startTime);
        if (start.getTime() > now + 90 * DAY) break;
        if (start.getTime() < now) continue;
        calendar.createEvent({
          id: `${s.id}-${day}@task-force-hub`,
          start,
          end: new Date(start.getTime() + s.durationMinutes * 60_000),
          summary: `[${taskForce.code}] ${s.title}`,
          description: 'Not scheduled yet: the next meeting of this series.',
          location: s.place ?? undefined,
          status: ICalEventStatus.TENTATIVE,
          categories: [{ name: s.title }],
          stamp: s.createdAt,
        });
      }
    }
    return calendar.toString();
  }
}
