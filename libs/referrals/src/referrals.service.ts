import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor, assertCan, can, CaseSection, sectionAccess, refuseAggregatesOnly } from '@hub/access';
import { AuditService } from '@hub/audit';
import { CaseSummariesService, CaseSummary } from '@hub/case-summaries';
import {
  addWorkingDays,
  badInput,
  bucharestInstant,
  localDateOf,
  localMinutesOf,
  notFound,
  screenFields,
} from '@hub/core';
import { type EventEnvelope, findLocked, WriteTransaction } from '@hub/events';
import { Agency, Member, Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import {
  ConsentPoint,
  ConsentRefusalTally,
  Referral,
  ReferralConsent,
  ReferralPurpose,
  ReferralStatus,
} from './referral.entity';
import { consentCovers, isInformed, maySeeReferral, OPEN_STATUSES, REFERRAL_TRANSITIONS } from './referrals.policy';
import {
  consentRequired,
  consentWithdrawnAlready,
  minorNeedsBasis,
  notInformed,
  notYourSide,
  reasonRequired,
  receiverNotInTaskForce,
  referToYourself,
  sectionNotYours,
  transitionRefused,
} from './referrals.errors';

export interface NewConsent {
  caseSummaryId: string;
  given: boolean;
  purposes: ReferralPurpose[];
  receiverAgencyIds: string[];
  sections: CaseSection[];
  language: string;
  interpreterUsed: boolean;
  explainedPoints: ConsentPoint[];
  readBack: boolean;
  minor?: boolean;
  legalBasis?: string | null;
  guardianRole?: string | null;
}

export interface NewReferral {
  caseSummaryId: string;
  toAgencyId: string;
  purpose: ReferralPurpose;
  sections: CaseSection[];
  urgent?: boolean;
  /** A coordinator's reason to refer without a covering consent. */
  overrideReason?: string | null;
}

export interface ReferralIndicators {
  referrals: number;
  answered: number;
  answeredInTime: number;
  overrides: number;
  consentsGiven: number;
  consentsWithdrawn: number;
  consentsRefused: number;
}

const URGENT_HOURS = 4;
const WORKING_DAYS_TO_ANSWER = 2;

/** The respond-by deadline: 4 hours when urgent, otherwise the same time of day 2 working days later (Europe/Bucharest). */
export function respondByFor(requestedAt: Date, urgent: boolean): Date {
  if (urgent) return new Date(requestedAt.getTime() + URGENT_HOURS * 3_600_000);
  const minutes = localMinutesOf(requestedAt);
  const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return bucharestInstant(addWorkingDays(localDateOf(requestedAt), WORKING_DAYS_TO_ANSWER), time);
}

/** A reminder step of an unanswered referral: the receiving agency at the deadline, then the coordinators. */
export interface ReferralReminderStep {
  referralId: string;
  step: 'RECEIVER_AT_DEADLINE' | 'COORDINATORS_AFTER_DEADLINE';
  at: Date;
  toAgencyId: string;
}

/**
 * The reminder steps due at `now` for a referral still waiting for its answer: the receiving agency
 * when the respond-by deadline passes, the coordinators once as long again has passed without an
 * answer. Pure: the reminder sweep (libs/notifications, reminder-sweep.ts) calls it and fires each step once.
 */
export function referralRemindersDue(
  referral: { id: string; status: string; requestedAt: Date; respondBy: Date; toAgency: { id: string } },
  now: Date,
): ReferralReminderStep[] {
  if (referral.status !== ReferralStatus.REQUESTED) return [];
  const window = referral.respondBy.getTime() - referral.requestedAt.getTime();
  const steps: ReferralReminderStep[] = [
    { referralId: referral.id, step: 'RECEIVER_AT_DEADLINE', at: referral.respondBy, toAgencyId: referral.toAgency.id },
    {
      referralId: referral.id,
      step: 'COORDINATORS_AFTER_DEADLINE',
      at: new Date(referral.respondBy.getTime() + window),
      toAgencyId: referral.toAgency.id,
    },
  ];
  return steps.filter((step) => step.at <= now);
}

/** The event a referral's change records: ids, kinds and states, never its reasons. */
export function referralPayload(referral: Referral): NonNullable<EventEnvelope<'referral.changed'>['data']> {
  return {
    referralId: referral.id,
    caseSummaryId: referral.caseSummary.id,
    fromAgencyId: referral.fromAgency.id,
    toAgencyId: referral.toAgency.id,
    purpose: referral.purpose,
    status: referral.status,
    sections: [...referral.sections],
    urgent: referral.urgent,
    respondBy: referral.respondBy.toISOString(),
  };
}

/**
 * Referrals between the agencies of a task force and the consents they rest on. The referring agency
 * keeps the consent; a referral needs one that covers it (or a coordinator's audited override); while
 * it stands its receiver reads the sections it names (the rule is `caseSectionAccess` in libs/access,
 * fed by `SharedSectionsRepository`), and withdrawing the consent ends it in the same transaction.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly audit: AuditService,
    private readonly caseSummaries: CaseSummariesService,
  ) {}

  /** Records a given consent, or counts a refused one (nothing else of it is kept). Returns the consent, or null when refused. */
  async recordConsent(actor: Actor, input: NewConsent): Promise<ReferralConsent | null> {
    const summary = await this.caseSummaries.get(actor, input.caseSummaryId);
    const taskForceId = summary.taskForce.id;
    assertCan(actor, 'referral.request', taskForceId);
    if (!input.given) return this.countRefusal(actor, taskForceId);
    if (!input.purposes.length) throw badInput('purposes', 'Name at least one purpose the person consented to.');
    if (!input.receiverAgencyIds.length)
      throw badInput('receiverAgencyIds', 'Name at least one agency the person agreed to be referred to.');
    if (!input.sections.length) throw badInput('sections', 'Name at least one section that may be shared.');
    for (const section of input.sections)
      if (sectionAccess(actor, taskForceId, section) === 'none') throw sectionNotYours(section);
    if (!isInformed(input.explainedPoints, input.readBack)) throw notInformed();
    const legalBasis = input.legalBasis?.trim() || null;
    const guardianRole = input.guardianRole?.trim() || null;
    if (input.minor && !legalBasis) throw minorNeedsBasis('legalBasis');
    if (input.minor && !guardianRole) throw minorNeedsBasis('guardianRole');
    const language = input.language.trim();
    if (!language || language.length > 60)
      throw badInput('language', 'Say in which language it was explained (up to 60 characters).');
    if (legalBasis && legalBasis.length > 300)
      throw badInput('legalBasis', 'The legal basis takes up to 300 characters.');
    if (guardianRole && guardianRole.length > 120)
      throw badInput('guardianRole', 'The role takes up to 120 characters.');
    screenFields({ language, legalBasis, guardianRole });
    const receivers = [...new Set(input.receiverAgencyIds)];
    return this.writes.run(async (em) => {
      for (const agencyId of receivers) await this.assertAtTheTable(em, taskForceId, agencyId, 'receiverAgencyIds');
      const consent = em.create(ReferralConsent, {
        taskForce: em.getReference(TaskForce, taskForceId),
        caseSummary: em.getReference(CaseSummary, summary.id),
        agency: em.getReference(Agency, actor.agencyId),
        recordedBy: em.getReference(Member, actor.memberId),
        purposes: [...new Set(input.purposes)],
        receivers,
        sections: [...new Set(input.sections)],
        language,
        interpreterUsed: input.interpreterUsed,
        explainedPoints: [...new Set(input.explainedPoints)],
        readBack: input.readBack,
        minor: !!input.minor,
        legalBasis: input.minor ? legalBasis : null,
        guardianRole: input.minor ? guardianRole : null,
      });
      this.audit.record(em, {
        action: 'consent.recorded',
        actorId: actor.memberId,
        taskForceId,
        subjectType: 'ReferralConsent',
        subjectId: consent.id,
        ip: actor.ip,
        details: { caseSummaryId: summary.id, purposes: consent.purposes, sections: consent.sections },
      });
      return consent;
    });
  }

  /** A refusal is a number for the month: no case, no person, no consent row. */
  private async countRefusal(actor: Actor, taskForceId: string): Promise<null> {
    const month = localDateOf(new Date()).slice(0, 7);
    await this.writes.run(async (em) => {
      const tally = await em.findOne(ConsentRefusalTally, { taskForce: taskForceId, month });
      if (tally) tally.refused += 1;
      else em.create(ConsentRefusalTally, { taskForce: em.getReference(TaskForce, taskForceId), month, refused: 1 });
      this.audit.record(em, {
        action: 'consent.refused',
        actorId: actor.memberId,
        taskForceId,
        subjectType: 'TaskForce',
        subjectId: taskForceId,
        ip: actor.ip,
      });
    });
    return null;
  }

  /**
   * Withdraws a consent and, in the same transaction, ends every referral that rests on it: from the
   * next event and the next query on, their receivers read none of those sections.
   */
  async withdrawConsent(actor: Actor, consentId: string): Promise<{ consent: ReferralConsent; ended: Referral[] }> {
    return this.writes.run(async (em, events) => {
      const consent = await findLocked(em, ReferralConsent, consentId, 'write');
      if (!consent || !this.keeps(actor, consent)) {
        // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
        refuseAggregatesOnly(actor, consent?.taskForce.id);
        throw notFound('The consent');
      }
      assertCan(actor, 'referral.request', consent.taskForce.id);
      if (consent.withdrawnAt) throw consentWithdrawnAlready();
      consent.withdrawnAt = new Date();
      consent.withdrawnBy = em.getReference(Member, actor.memberId);
      const dependent = await em.find(Referral, { consent: consent.id, status: { $in: [...OPEN_STATUSES] } });
      for (const referral of dependent) {
        referral.status = ReferralStatus.CONSENT_WITHDRAWN;
        referral.updatedAt = new Date();
        events.record({
          type: 'referral.changed',
          taskForceId: consent.taskForce.id,
          actorId: actor.memberId,
          data: referralPayload(referral),
        });
      }
      this.audit.record(em, {
        action: 'consent.withdrawn',
        actorId: actor.memberId,
        taskForceId: consent.taskForce.id,
        subjectType: 'ReferralConsent',
        subjectId: consent.id,
        ip: actor.ip,
        details: { endedReferrals: dependent.map((r) => r.id) },
      });
      return { consent, ended: dependent };
    });
  }

  /** The consents the actor's agency keeps for a case (the receiver never sees them). */
  async consents(actor: Actor, caseSummaryId: string): Promise<ReferralConsent[]> {
    const summary = await this.caseSummaries.get(actor, caseSummaryId);
    assertCan(actor, 'referral.read', summary.taskForce.id);
    return this.em.find(
      ReferralConsent,
      { caseSummary: summary.id, agency: actor.agencyId },
      { orderBy: { givenAt: 'desc' } },
    );
  }

  /** Refers a case from the actor's agency. Refused with CONSENT_REQUIRED unless a consent covers it or a coordinator overrides. */
  async request(actor: Actor, input: NewReferral): Promise<Referral> {
    const summary = await this.caseSummaries.get(actor, input.caseSummaryId);
    const taskForceId = summary.taskForce.id;
    assertCan(actor, 'referral.request', taskForceId);
    if (input.toAgencyId === actor.agencyId) throw referToYourself();
    const sections = [...new Set(input.sections)];
    if (!sections.length) throw badInput('sections', 'Name at least one section the receiving agency may read.');
    for (const section of sections)
      if (sectionAccess(actor, taskForceId, section) === 'none') throw sectionNotYours(section);
    const overrideReason = input.overrideReason?.trim() || null;
    if (overrideReason !== null) {
      assertCan(actor, 'referral.override', taskForceId);
      if (overrideReason.length > 500) throw badInput('overrideReason', 'The reason takes up to 500 characters.');
      screenFields({ overrideReason });
    }
    return this.writes.run(async (em, events) => {
      await this.assertAtTheTable(em, taskForceId, input.toAgencyId, 'toAgencyId');
      const consents = await em.find(ReferralConsent, {
        caseSummary: summary.id,
        agency: actor.agencyId,
        withdrawnAt: null,
      });
      const consent = consents.find((c) =>
        consentCovers(c, { purpose: input.purpose, toAgencyId: input.toAgencyId, sections }),
      );
      if (!consent && overrideReason === null) throw consentRequired();
      const now = new Date();
      const referral = em.create(Referral, {
        taskForce: em.getReference(TaskForce, taskForceId),
        caseSummary: em.getReference(CaseSummary, summary.id),
        fromAgency: em.getReference(Agency, actor.agencyId),
        toAgency: em.getReference(Agency, input.toAgencyId),
        purpose: input.purpose,
        sections,
        urgent: !!input.urgent,
        respondBy: respondByFor(now, !!input.urgent),
        consent: consent ?? null,
        overrideReason: consent ? null : overrideReason,
        requestedBy: em.getReference(Member, actor.memberId),
        requestedAt: now,
      });
      this.audit.record(em, {
        action: consent ? 'referral.requested' : 'referral.overridden',
        actorId: actor.memberId,
        taskForceId,
        subjectType: 'Referral',
        subjectId: referral.id,
        ip: actor.ip,
        details: { caseSummaryId: summary.id, toAgencyId: input.toAgencyId, purpose: input.purpose, sections },
      });
      events.record({
        type: 'referral.requested',
        taskForceId,
        actorId: actor.memberId,
        data: referralPayload(referral),
      });
      return referral;
    });
  }

  /** Moves a referral along its workflow; the receiver answers (a decline needs a reason) and serves, the referrer withdraws. */
  async changeStatus(actor: Actor, referralId: string, to: ReferralStatus, reason?: string | null): Promise<Referral> {
    return this.writes.run(async (em, events) => {
      const referral = await findLocked(em, Referral, referralId, 'write');
      if (!referral || !this.sees(actor, referral)) {
        // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
        refuseAggregatesOnly(actor, referral?.taskForce.id);
        throw notFound('The referral');
      }
      assertCan(actor, 'referral.request', referral.taskForce.id);
      const side = REFERRAL_TRANSITIONS[referral.status as ReferralStatus][to];
      if (!side) throw transitionRefused(referral.status, to);
      const agencyId = side === 'receiving' ? referral.toAgency.id : referral.fromAgency.id;
      if (actor.agencyId !== agencyId) throw notYourSide(side);
      if (to === ReferralStatus.DECLINED) {
        const declineReason = reason?.trim() ?? '';
        if (!declineReason) throw reasonRequired('reason');
        if (declineReason.length > 500) throw badInput('reason', 'The reason takes up to 500 characters.');
        screenFields({ reason: declineReason });
        referral.declineReason = declineReason;
      }
      if (referral.status === ReferralStatus.REQUESTED && side === 'receiving') referral.answeredAt = new Date();
      referral.status = to;
      referral.updatedAt = new Date();
      this.audit.record(em, {
        action: 'referral.changed',
        actorId: actor.memberId,
        taskForceId: referral.taskForce.id,
        subjectType: 'Referral',
        subjectId: referral.id,
        ip: actor.ip,
        details: { status: to },
      });
      events.record({
        type: 'referral.changed',
        taskForceId: referral.taskForce.id,
        actorId: actor.memberId,
        data: referralPayload(referral),
      });
      return referral;
    });
  }

  async get(actor: Actor, referralId: string): Promise<Referral> {
    const referral = await this.em.findOne(Referral, { id: referralId });
    if (!referral || !this.sees(actor, referral)) {
      // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
      refuseAggregatesOnly(actor, referral?.taskForce.id);
      throw notFound('The referral');
    }
    return referral;
  }

  /** Referrals from or to the actor's agency; a coordinator sees all of the task force's. */
  async list(actor: Actor, taskForceId: string): Promise<Referral[]> {
    assertCan(actor, 'referral.read', taskForceId);
    const where = can(actor, 'referral.override', taskForceId)
      ? { taskForce: taskForceId }
      : { taskForce: taskForceId, $or: [{ fromAgency: actor.agencyId }, { toAgency: actor.agencyId }] };
    return this.em.find(Referral, where, { orderBy: { requestedAt: 'desc' } });
  }

  /** The outcomes report's figures for referrals and consents (counts only). */
  async indicators(actor: Actor, taskForceId: string): Promise<ReferralIndicators> {
    assertCan(actor, 'referral.read', taskForceId);
    const referrals = await this.em.find(
      Referral,
      { taskForce: taskForceId },
      { fields: ['answeredAt', 'respondBy', 'overrideReason'] },
    );
    const answered = referrals.filter((r) => r.answeredAt);
    const tallies = await this.em.find(ConsentRefusalTally, { taskForce: taskForceId });
    return {
      referrals: referrals.length,
      answered: answered.length,
      answeredInTime: answered.filter((r) => !!r.answeredAt && r.answeredAt <= r.respondBy).length,
      overrides: referrals.filter((r) => r.overrideReason).length,
      consentsGiven: await this.em.count(ReferralConsent, { taskForce: taskForceId }),
      consentsWithdrawn: await this.em.count(ReferralConsent, { taskForce: taskForceId, withdrawnAt: { $ne: null } }),
      consentsRefused: tallies.reduce((sum, t) => sum + t.refused, 0),
    };
  }

  private sees(actor: Actor, referral: Referral): boolean {
    return maySeeReferral(actor, {
      taskForceId: referral.taskForce.id,
      fromAgencyId: referral.fromAgency.id,
      toAgencyId: referral.toAgency.id,
    });
  }

  private keeps(actor: Actor, consent: ReferralConsent): boolean {
    return can(actor, 'referral.read', consent.taskForce.id) && consent.agency.id === actor.agencyId;
  }

  private async assertAtTheTable(em: EntityManager, taskForceId: string, agencyId: string, field: string) {
    const members = await em.count(Membership, { taskForce: taskForceId, member: { agency: agencyId } });
    if (!members)
      throw field === 'toAgencyId'
        ? receiverNotInTaskForce()
        : badInput(field, 'Every receiving agency must have a member in this task force.');
  }
}
