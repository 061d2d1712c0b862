import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Decision, Meeting, MeetingSeries, MinuteNote, MinuteNoteRevision } from './meeting.entity';

/**
 * Read-only: rows go to GraphQL models and are never written, so they stay out of the request's
 * identity map. The members a row names are joined in (with their agency), in the same statement,
 * so that the loaders need no second wave for them.
 */
const READ = { disableIdentityMap: true, strategy: 'joined' } as const;

/**
 * Unchecked batch reads by id, for per-request loaders (whose parents the policy already let
 * through) only; a resolver asks MeetingsService instead. A meeting's own lists (agenda, attendance,
 * decisions, action items) are read together by the loaders, in one statement (apps/api loaders.ts).
 */
@Injectable()
export class MeetingsRepository {
  constructor(private readonly em: EntityManager) {}

  findByIds(ids: readonly string[]): Promise<Meeting[]> {
    return this.em.find(Meeting, { id: { $in: [...ids] } }, READ);
  }

  /** With the author and their agency. */
  notesByAgendaItemIds(ids: readonly string[]): Promise<MinuteNote[]> {
    return this.em.find(
      MinuteNote,
      { agendaItem: { $in: [...ids] } },
      { ...READ, populate: ['author.agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
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
