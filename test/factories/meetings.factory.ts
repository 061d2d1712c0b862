import { CaseStage, CaseSummary } from '@hub/case-summaries';
import { Member } from '@hub/identity';
import { AgendaItem, Meeting, MeetingStatus } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import { randomBytes } from 'node:crypto';
import { type ServiceApp } from '../utils/service-app';
import { type TestApp } from '../utils/test-app';

const unique = () => randomBytes(3).toString('hex').toUpperCase();

export interface AgendaRow {
  title: string;
  presenter?: Member;
  caseSummary?: CaseSummary;
  timeBoxMinutes?: number;
}

export interface MeetingRows {
  meeting: Meeting;
  /** In agenda order. */
  agenda: AgendaItem[];
}

/** A date `days` from now at `hour`:`minute` UTC, on a whole minute (calendar feeds keep seconds only). */
export function day(days: number, hour = 9, minute = 0): Date {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  date.setUTCHours(hour, minute, 0, 0);
  return date;
}

/** Rows straight into the database, so a suite sets up meetings without going through the API it tests. */
export class MeetingsFactory {
  constructor(private readonly app: TestApp | ServiceApp) {}

  async meeting(
    taskForce: TaskForce,
    createdBy: Member,
    options: {
      title?: string;
      startsAt?: Date;
      endsAt?: Date;
      place?: string | null;
      callLink?: string | null;
      status?: MeetingStatus;
      agenda?: (string | AgendaRow)[];
    } = {},
  ): Promise<MeetingRows> {
    const em = this.app.em();
    const startsAt = options.startsAt ?? day(7, 9);
    const status = options.status ?? MeetingStatus.SCHEDULED;
    const meeting = em.create(Meeting, {
      taskForce: em.getReference(TaskForce, taskForce.id),
      title: options.title ?? `Coordination ${unique()}`,
      startsAt,
      endsAt: options.endsAt ?? new Date(startsAt.getTime() + 2 * 3600_000),
      place: options.place === undefined ? 'Sala de consiliu' : options.place,
      callLink: options.callLink ?? null,
      status,
      createdBy: em.getReference(Member, createdBy.id),
      startedAt: status === MeetingStatus.LIVE || status === MeetingStatus.ENDED ? new Date() : null,
      endedAt: status === MeetingStatus.ENDED ? new Date() : null,
      cancelledAt: status === MeetingStatus.CANCELLED ? new Date() : null,
    });
    const agenda = (options.agenda ?? []).map((row, position) => {
      const item: AgendaRow = typeof row === 'string' ? { title: row } : row;
      return em.create(AgendaItem, {
        meeting,
        position,
        title: item.title,
        presenter: item.presenter ? em.getReference(Member, item.presenter.id) : null,
        caseSummary: item.caseSummary ? em.getReference(CaseSummary, item.caseSummary.id) : null,
        timeBoxMinutes: item.timeBoxMinutes ?? null,
      });
    });
    if (status === MeetingStatus.LIVE && agenda.length) {
      meeting.currentAgendaItemId = agenda[0].id;
      agenda[0].startedAt = new Date();
    }
    await em.flush();
    return { meeting, agenda };
  }

  /** A case summary with the given section texts (no revision history: only its link matters here). */
  async caseSummary(
    taskForce: TaskForce,
    author: Member,
    sections: {
      caseCode?: string;
      overview?: string;
      investigation?: string;
      prosecution?: string;
      victimSupport?: string;
    } = {},
  ): Promise<CaseSummary> {
    const em = this.app.em();
    const summary = em.create(CaseSummary, {
      taskForce: em.getReference(TaskForce, taskForce.id),
      caseCode: sections.caseCode ?? `CASE-${unique()}`,
      stage: CaseStage.INVESTIGATION,
      overview: sections.overview ?? '',
      investigation: sections.investigation ?? '',
      prosecution: sections.prosecution ?? '',
      victimSupport: sections.victimSupport ?? '',
      createdBy: em.getReference(Member, author.id),
      updatedBy: em.getReference(Member, author.id),
    });
    await em.flush();
    return summary;
  }
}
