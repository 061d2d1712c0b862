import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  AgendaItem,
  AgendaTemplate,
  Attendance,
  Decision,
  Meeting,
  MeetingSeries,
  MinuteNote,
  MinuteNoteRevision,
} from '@hub/meetings';
import { AttendanceMode, MeetingStatus, SeriesCadence } from '../graphql/enums';
import { PageInfo } from '../graphql/page-info.model';

@ObjectType('Meeting')
export class MeetingModel {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field(() => String, { nullable: true }) place: string | null;
  @Field(() => String, { nullable: true }) callLink: string | null;
  @Field(() => MeetingStatus) status: MeetingStatus;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true }) cancelReason: string | null;
  @Field() createdAt: Date;

  /** Not exposed: for field resolvers. */
  taskForceId: string;
  currentAgendaItemId: string | null;
  seriesId: string | null;

  static from(meeting: Meeting): MeetingModel {
    return Object.assign(new MeetingModel(), {
      id: meeting.id,
      title: meeting.title,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      place: meeting.place ?? null,
      callLink: meeting.callLink ?? null,
      status: meeting.status,
      startedAt: meeting.startedAt ?? null,
      endedAt: meeting.endedAt ?? null,
      cancelledAt: meeting.cancelledAt ?? null,
      cancelReason: meeting.cancelReason ?? null,
      createdAt: meeting.createdAt,
      taskForceId: meeting.taskForce.id,
      currentAgendaItemId: meeting.currentAgendaItemId ?? null,
      seriesId: meeting.series?.id ?? null,
    });
  }
}

@ObjectType('AgendaItem')
export class AgendaItemModel {
  @Field(() => ID) id: string;
  @Field(() => Int, { description: '0-based order in the agenda.' }) position: number;
  @Field() title: string;
  @Field(() => Int, { nullable: true }) timeBoxMinutes: number | null;
  @Field(() => Date, { nullable: true, description: 'When it last became the current item.' }) startedAt: Date | null;

  presenterId: string | null;
  caseSummaryId: string | null;

  static from(item: AgendaItem): AgendaItemModel {
    return Object.assign(new AgendaItemModel(), {
      id: item.id,
      position: item.position,
      title: item.title,
      timeBoxMinutes: item.timeBoxMinutes ?? null,
      startedAt: item.startedAt ?? null,
      presenterId: item.presenter?.id ?? null,
      caseSummaryId: item.caseSummary?.id ?? null,
    });
  }
}

@ObjectType('Attendance', { description: 'One presence: an arrival and its departure.' })
export class AttendanceModel {
  @Field(() => ID) id: string;
  @Field(() => AttendanceMode) mode: AttendanceMode;
  @Field() arrivedAt: Date;
  @Field(() => Date, { nullable: true }) leftAt: Date | null;

  memberId: string;
  markedById: string;

  static from(attendance: Attendance): AttendanceModel {
    return Object.assign(new AttendanceModel(), {
      id: attendance.id,
      mode: attendance.mode,
      arrivedAt: attendance.arrivedAt,
      leftAt: attendance.leftAt ?? null,
      memberId: attendance.member.id,
      markedById: attendance.markedBy.id,
    });
  }
}

@ObjectType('MinuteNote')
export class MinuteNoteModel {
  @Field(() => ID) id: string;
  @Field() text: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When its author last corrected it.' })
  correctedAt: Date | null;
  @Field(() => ID) agendaItemId: string;

  authorId: string;

  static from(note: MinuteNote): MinuteNoteModel {
    return Object.assign(new MinuteNoteModel(), {
      id: note.id,
      text: note.text,
      createdAt: note.createdAt,
      correctedAt: note.correctedAt ?? null,
      agendaItemId: note.agendaItem.id,
      authorId: note.author.id,
    });
  }
}

@ObjectType('Decision')
export class DecisionModel {
  @Field(() => ID) id: string;
  @Field() text: string;
  @Field() createdAt: Date;
  @Field(() => ID) agendaItemId: string;
  @Field(() => ID) meetingId: string;
  @Field(() => String, {
    nullable: true,
    description: "YYYY-MM-DD: from then on it comes back in the series' follow-up section.",
  })
  reviewOn: string | null;

  recordedById: string;
  caseSummaryId: string | null;

  static from(decision: Decision): DecisionModel {
    return Object.assign(new DecisionModel(), {
      id: decision.id,
      text: decision.text,
      createdAt: decision.createdAt,
      agendaItemId: decision.agendaItem.id,
      meetingId: decision.meeting.id,
      reviewOn: decision.reviewOn ?? null,
      recordedById: decision.recordedBy.id,
      caseSummaryId: decision.caseSummary?.id ?? null,
    });
  }
}

@ObjectType('MeetingPage')
export class MeetingPageModel {
  @Field(() => [MeetingModel], { description: 'By start time.' }) nodes: MeetingModel[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType('MinutesDocument')
export class MinutesDocumentModel {
  @Field() filename: string;
  @Field() contentType: string;
  @Field({ description: 'The minutes in Markdown.' }) content: string;
}

@ObjectType('CalendarFeed')
export class CalendarFeedModel {
  @Field({
    description:
      'Secret: anyone with this URL sees when and where your meetings are. Shown once; revoke it if it leaks.',
  })
  url: string;
}

@ObjectType('MinuteNoteRevision', { description: 'The text a note had before a correction.' })
export class MinuteNoteRevisionModel {
  @Field() text: string;
  @Field() replacedAt: Date;

  static from(revision: MinuteNoteRevision): MinuteNoteRevisionModel {
    return Object.assign(new MinuteNoteRevisionModel(), { text: revision.text, replacedAt: revision.replacedAt });
  }
}

@ObjectType('MeetingSeries', { description: "A task force's regular meeting, by a rule in Bucharest's local time." })
export class MeetingSeriesModel {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field(() => SeriesCadence) cadence: SeriesCadence;
  @Field(() => Int, { description: '1 = Monday … 7 = Sunday.' }) weekday: number;
  @Field(() => Int, { description: 'Every how many weeks (WEEKLY) or months (MONTHLY).' }) interval: number;
  @Field(() => Int, { nullable: true, description: 'MONTHLY: 1–4, or -1 for the last.' }) weekOfMonth: number | null;
  @Field({ description: 'HH:MM, Bucharest.' }) startTime: string;
  @Field(() => Int) durationMinutes: number;
  @Field({ description: 'YYYY-MM-DD: the first day it may fall on.' }) startsOn: string;
  @Field(() => String, { nullable: true }) place: string | null;
  @Field(() => String, { nullable: true }) callLink: string | null;
  @Field(() => ID, { nullable: true, description: 'The agenda template each new meeting starts with.' })
  templateId: string | null;

  static from(series: MeetingSeries): MeetingSeriesModel {
    return Object.assign(new MeetingSeriesModel(), {
      id: series.id,
      title: series.title,
      cadence: series.cadence,
      weekday: series.weekday,
      interval: series.interval,
      weekOfMonth: series.weekOfMonth ?? null,
      startTime: series.startTime,
      durationMinutes: series.durationMinutes,
      startsOn: series.startsOn,
      place: series.place ?? null,
      callLink: series.callLink ?? null,
      templateId: series.template?.id ?? null,
    });
  }
}

@ObjectType('AgendaTemplateItem')
export class AgendaTemplateItemModel {
  @Field() title: string;
  @Field(() => Int, { nullable: true }) timeBoxMinutes: number | null;
}

@ObjectType('AgendaTemplate', { description: 'A named agenda saved from a meeting, to start new meetings from.' })
export class AgendaTemplateModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [AgendaTemplateItemModel]) items: AgendaTemplateItemModel[];
  @Field() createdAt: Date;

  static from(template: AgendaTemplate): AgendaTemplateModel {
    return Object.assign(new AgendaTemplateModel(), {
      id: template.id,
      name: template.name,
      items: template.items.map((item) => ({ title: item.title, timeBoxMinutes: item.timeBoxMinutes ?? null })),
      createdAt: template.createdAt,
    });
  }
}

@ObjectType('SeriesCreated')
export class SeriesCreatedModel {
  @Field(() => MeetingSeriesModel) series: MeetingSeriesModel;
  @Field(() => MeetingModel, { description: "The series' first meeting." }) meeting: MeetingModel;
}
