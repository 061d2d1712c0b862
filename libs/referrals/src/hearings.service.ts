import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor, assertCan, can, refuseAggregatesOnly } from '@hub/access';
import { AuditService } from '@hub/audit';
import { CaseSummariesService, CaseSummary } from '@hub/case-summaries';
import { badInput, notFound, screenFields } from '@hub/core';
import { type EventEnvelope, findLocked, WriteTransaction } from '@hub/events';
import { Agency, Member, Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { Hearing, HearingKind, HearingReadinessItem, ReadinessItem, ReadinessState } from './hearing.entity';
import { languageRequired, notTheOwner } from './referrals.errors';

export interface NewHearing {
  caseSummaryId: string;
  court: string;
  startsAt: Date;
  kind: HearingKind;
  /** Who owns each checklist item; an item not named is owned by the scheduling agency. */
  owners?: { item: ReadinessItem; agencyId: string }[];
}

export interface HearingWithItems {
  hearing: Hearing;
  items: HearingReadinessItem[];
}

export const READINESS_ITEMS: readonly ReadinessItem[] = Object.values(ReadinessItem);

/** Complete when no item is still open (done, or not needed for this hearing). */
export function isReady(items: readonly { state: ReadinessState }[]): boolean {
  return items.every((item) => item.state !== ReadinessState.OPEN);
}

/** A reminder step of an incomplete checklist: the owners a week before, then the coordinators too two days before. */
export interface ReadinessReminderStep {
  hearingId: string;
  step: 'OWNERS_7_DAYS' | 'COORDINATORS_2_DAYS';
  at: Date;
  /** Agencies whose items are still open. */
  ownerAgencyIds: string[];
}

const DAY_MS = 86_400_000;
/** How far ahead a meeting's agenda looks for hearings. */
const NEAR_MS = 14 * DAY_MS;
const STEPS = [
  { step: 'OWNERS_7_DAYS', before: 7 * DAY_MS },
  { step: 'COORDINATORS_2_DAYS', before: 2 * DAY_MS },
] as const;

/**
 * The reminder steps due at `now` for a hearing whose checklist is incomplete: each step whose time
 * has come while the hearing is still ahead. Pure: the reminder sweep (libs/notifications,
 * reminder-sweep.ts) calls it and fires each step once.
 */
export function readinessRemindersDue(
  hearing: { id: string; startsAt: Date },
  items: readonly { state: ReadinessState; ownerAgency: { id: string } }[],
  now: Date,
): ReadinessReminderStep[] {
  if (isReady(items) || hearing.startsAt <= now) return [];
  const owners = [...new Set(items.filter((i) => i.state === ReadinessState.OPEN).map((i) => i.ownerAgency.id))];
  return STEPS.map(({ step, before }) => ({
    hearingId: hearing.id,
    step,
    at: new Date(hearing.startsAt.getTime() - before),
    ownerAgencyIds: owners,
  })).filter((s) => s.at <= now);
}

export function hearingPayload(
  hearing: Hearing,
  items: HearingReadinessItem[],
): NonNullable<EventEnvelope<'hearing.scheduled'>['data']> {
  return {
    hearingId: hearing.id,
    caseSummaryId: hearing.caseSummary.id,
    kind: hearing.kind,
    startsAt: hearing.startsAt.toISOString(),
    items: items.map((i) => ({ item: i.item, ownerAgencyId: i.ownerAgency.id, state: i.state })),
  };
}

/** Court hearings of a case and the checklist of what must be in place for the victim to testify safely. */
@Injectable()
export class HearingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly audit: AuditService,
    private readonly caseSummaries: CaseSummariesService,
  ) {}

  async schedule(actor: Actor, input: NewHearing): Promise<HearingWithItems> {
    const summary = await this.caseSummaries.get(actor, input.caseSummaryId);
    const taskForceId = summary.taskForce.id;
    assertCan(actor, 'hearing.manage', taskForceId);
    const court = input.court.trim();
    if (!court || court.length > 200) throw badInput('court', 'Name the court (up to 200 characters).');
    screenFields({ court });
    // Also keeps dates PostgreSQL cannot store (before year 1, after 9999) from reaching it.
    const year = input.startsAt.getUTCFullYear();
    if (Number.isNaN(year) || year < 2000 || year > 2999)
      throw badInput('startsAt', 'startsAt must be a date and time between the years 2000 and 2999.');
    const owners = new Map<ReadinessItem, string>();
    for (const owner of input.owners ?? []) owners.set(owner.item, owner.agencyId);
    return this.writes.run(async (em, events) => {
      for (const agencyId of new Set(owners.values())) {
        if (!(await em.count(Membership, { taskForce: taskForceId, member: { agency: agencyId } })))
          throw badInput('owners', 'Every owner agency must have a member in this task force.');
      }
      const hearing = em.create(Hearing, {
        taskForce: em.getReference(TaskForce, taskForceId),
        caseSummary: em.getReference(CaseSummary, summary.id),
        court,
        startsAt: input.startsAt,
        kind: input.kind,
        createdBy: em.getReference(Member, actor.memberId),
      });
      const items = READINESS_ITEMS.map((item) =>
        em.create(HearingReadinessItem, {
          hearing,
          item,
          ownerAgency: em.getReference(Agency, owners.get(item) ?? actor.agencyId),
        }),
      );
      this.audit.record(em, {
        action: 'hearing.scheduled',
        actorId: actor.memberId,
        taskForceId,
        subjectType: 'Hearing',
        subjectId: hearing.id,
        ip: actor.ip,
        details: { caseSummaryId: summary.id, kind: hearing.kind },
      });
      events.record({
        type: 'hearing.scheduled',
        taskForceId,
        actorId: actor.memberId,
        data: hearingPayload(hearing, items),
      });
      return { hearing, items };
    });
  }

  /** The owner agency (or a coordinator) sets one item's state; an interpreter marked done names its language. */
  async updateItem(
    actor: Actor,
    hearingId: string,
    item: ReadinessItem,
    state: ReadinessState,
    language?: string | null,
  ): Promise<HearingWithItems> {
    return this.writes.run(async (em, events) => {
      const hearing = await findLocked(em, Hearing, hearingId, 'write');
      if (!hearing || !can(actor, 'hearing.read', hearing.taskForce.id)) {
        // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
        refuseAggregatesOnly(actor, hearing?.taskForce.id);
        throw notFound('The hearing');
      }
      assertCan(actor, 'hearing.manage', hearing.taskForce.id);
      const items = await em.find(HearingReadinessItem, { hearing: hearing.id }, { orderBy: { item: 'asc' } });
      const target = items.find((i) => i.item === item);
      if (!target) throw badInput('item', 'This hearing has no such checklist item.');
      if (target.ownerAgency.id !== actor.agencyId && !can(actor, 'referral.override', hearing.taskForce.id))
        throw notTheOwner();
      const lang = language?.trim() || null;
      if (item === ReadinessItem.INTERPRETER && state === ReadinessState.DONE && !lang && !target.language)
        throw languageRequired();
      if (lang && lang.length > 60) throw badInput('language', 'The language takes up to 60 characters.');
      screenFields({ language: lang });
      target.state = state;
      if (lang) target.language = lang;
      target.updatedBy = em.getReference(Member, actor.memberId);
      target.updatedAt = new Date();
      this.audit.record(em, {
        action: 'hearing.readinessChanged',
        actorId: actor.memberId,
        taskForceId: hearing.taskForce.id,
        subjectType: 'Hearing',
        subjectId: hearing.id,
        ip: actor.ip,
        details: { item, state },
      });
      events.record({
        type: 'hearing.readinessChanged',
        taskForceId: hearing.taskForce.id,
        actorId: actor.memberId,
        data: hearingPayload(hearing, items),
      });
      return { hearing, items };
    });
  }

  /** A task force's hearings from `from` on (default: now), soonest first, each with its checklist. */
  async list(actor: Actor, taskForceId: string, from = new Date(), to?: Date): Promise<HearingWithItems[]> {
    assertCan(actor, 'hearing.read', taskForceId);
    const year = from.getUTCFullYear();
    if (Number.isNaN(year) || year < 2000 || year > 2999)
      throw badInput('from', 'from must be a date between the years 2000 and 2999.');
    const hearings = await this.em.find(
      Hearing,
      { taskForce: taskForceId, startsAt: to ? { $gte: from, $lt: to } : { $gte: from } },
      { orderBy: { startsAt: 'asc' } },
    );
    return this.withItems(hearings);
  }

  /**
   * For each (task force, from) pair, the hearings in the 14 days from `from`: what a meeting's agenda
   * shows as "hearings in the next 14 days". Two statements for the whole batch.
   */
  async near(actor: Actor, keys: readonly { taskForceId: string; from: Date }[]): Promise<HearingWithItems[][]> {
    const allowed = keys.filter((k) => can(actor, 'hearing.read', k.taskForceId));
    if (!allowed.length) return keys.map(() => []);
    const from = Math.min(...allowed.map((k) => k.from.getTime()));
    const to = Math.max(...allowed.map((k) => k.from.getTime())) + NEAR_MS;
    const hearings = await this.em.find(
      Hearing,
      {
        taskForce: { $in: [...new Set(allowed.map((k) => k.taskForceId))] },
        startsAt: { $gte: new Date(from), $lt: new Date(to) },
      },
      { orderBy: { startsAt: 'asc' } },
    );
    const withItems = await this.withItems(hearings);
    return keys.map((k) =>
      can(actor, 'hearing.read', k.taskForceId)
        ? withItems.filter(
            ({ hearing }) =>
              hearing.taskForce.id === k.taskForceId &&
              hearing.startsAt >= k.from &&
              hearing.startsAt.getTime() < k.from.getTime() + NEAR_MS,
          )
        : [],
    );
  }

  async get(actor: Actor, hearingId: string): Promise<HearingWithItems> {
    const hearing = await this.em.findOne(Hearing, { id: hearingId });
    if (!hearing || !can(actor, 'hearing.read', hearing.taskForce.id)) {
      // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
      refuseAggregatesOnly(actor, hearing?.taskForce.id);
      throw notFound('The hearing');
    }
    return (await this.withItems([hearing]))[0];
  }

  /** For the outcomes report: hearings held and those whose checklist was complete. */
  async indicators(actor: Actor, taskForceId: string): Promise<{ hearings: number; complete: number }> {
    assertCan(actor, 'hearing.read', taskForceId);
    const all = await this.withItems(await this.em.find(Hearing, { taskForce: taskForceId }));
    return { hearings: all.length, complete: all.filter((h) => isReady(h.items)).length };
  }

  private async withItems(hearings: Hearing[], em: EntityManager = this.em): Promise<HearingWithItems[]> {
    if (!hearings.length) return [];
    const items = await em.find(
      HearingReadinessItem,
      { hearing: { $in: hearings.map((h) => h.id) } },
      { orderBy: { item: 'asc' } },
    );
    return hearings.map((hearing) => ({ hearing, items: items.filter((i) => i.hearing.id === hearing.id) }));
  }
}
