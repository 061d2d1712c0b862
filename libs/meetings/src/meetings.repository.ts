import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import {
  AgendaItem,
  Attendance,
  Decision,
  Meeting,
  MeetingSeries,
  MinuteNote,
  MinuteNoteRevision,
} from './meeting.entity';

/**
 * Read-only: rows go to GraphQL models and are never written, so they stay out of the request's
 * identity map. The members a row names are joined in (with their agency), in the same statement,
 * so that the loaders need no second wave for them.
 */
const READ = { disableIdentityMap: true, strategy: 'joined' } as const;

/**
 * Unchecked batch reads by id, for per-request loaders (whose parents the policy already let
 * through) only; a resolver asks MeetingsService instead.
 */
@Injectable()
export class MeetingsRepository {
  constructor(private readonly em: EntityManager) {}

  findByIds(ids: readonly string[]): Promise<Meeting[]> {
    return this.em.find(Meeting, { id: { $in: [...ids] } }, READ);
  }

  /** With the presenter and their agency. */
  agendaByMeetingIds(ids: readonly string[]): Promise<AgendaItem[]> {
    return this.em.find(
      AgendaItem,
      { meeting: { $in: [...ids] } },
      { ...READ, populate: ['presenter.agency'], orderBy: { position: 'asc' } },
    );
  }

  /** With the member, who marked them, and both agencies. */
  attendanceByMeetingIds(ids: readonly string[]): Promise<Attendance[]> {
    return this.em.find(
      Attendance,
      { meeting: { $in: [...ids] } },
      { ...READ, populate: ['member.agency', 'markedBy.agency'], orderBy: { arrivedAt: 'asc', id: 'asc' } },
    );
  }

  /** With the author and their agency. */
  notesByAgendaItemIds(ids: readonly string[]): Promise<MinuteNote[]> {
    return this.em.find(
      MinuteNote,
      { agendaItem: { $in: [...ids] } },
      { ...READ, populate: ['author.agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** With who recorded it and their agency. */
  decisionsByMeetingIds(ids: readonly string[]): Promise<Decision[]> {
    return this.em.find(
      Decision,
      { meeting: { $in: [...ids] } },
      { ...READ, populate: ['recordedBy.agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  decisionsByIds(ids: readonly string[]): Promise<Decision[]> {
    return this.em.find(Decision, { id: { $in: [...ids] } }, { ...READ, populate: ['recordedBy.agency'] });
  }

  /** Earlier texts of notes, oldest first. */
  revisionsByNoteIds(ids: readonly string[]): Promise<MinuteNoteRevision[]> {
    return this.em.find(
      MinuteNoteRevision,
      { note: { $in: [...ids] } },
      { ...READ, orderBy: { replacedAt: 'asc', id: 'asc' } },
    );
  }

  seriesByIds(ids: readonly string[]): Promise<MeetingSeries[]> {
    return this.em.find(MeetingSeries, { id: { $in: [...ids] } }, READ);
  }
}
