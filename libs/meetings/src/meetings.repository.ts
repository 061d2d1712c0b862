import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AgendaItem, Attendance, Decision, Meeting, MinuteNote } from './meeting.entity';

/**
 * Unchecked batch reads by id. Only per-request loaders (whose parents the policy already let
 * through) and checked service methods call these; a resolver asks MeetingsService instead.
 */
@Injectable()
export class MeetingsRepository {
  constructor(private readonly em: EntityManager) {}

  findByIds(ids: readonly string[]): Promise<Meeting[]> {
    return this.em.find(Meeting, { id: { $in: [...ids] } });
  }

  agendaByMeetingIds(ids: readonly string[]): Promise<AgendaItem[]> {
    return this.em.find(AgendaItem, { meeting: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
  }

  attendanceByMeetingIds(ids: readonly string[]): Promise<Attendance[]> {
    return this.em.find(Attendance, { meeting: { $in: [...ids] } }, { orderBy: { arrivedAt: 'asc', id: 'asc' } });
  }

  notesByAgendaItemIds(ids: readonly string[]): Promise<MinuteNote[]> {
    return this.em.find(MinuteNote, { agendaItem: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  decisionsByMeetingIds(ids: readonly string[]): Promise<Decision[]> {
    return this.em.find(Decision, { meeting: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  decisionsByIds(ids: readonly string[]): Promise<Decision[]> {
    return this.em.find(Decision, { id: { $in: [...ids] } });
  }
}
