import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AgendaItem, Attendance, Decision, Meeting, MinuteNote } from '@hub/meetings';
import { AttendanceMode, MeetingStatus } from '../graphql/enums';
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
  @Field(() => ID) agendaItemId: string;

  authorId: string;

  static from(note: MinuteNote): MinuteNoteModel {
    return Object.assign(new MinuteNoteModel(), {
      id: note.id,
      text: note.text,
      createdAt: note.createdAt,
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

  recordedById: string;
  caseSummaryId: string | null;

  static from(decision: Decision): DecisionModel {
    return Object.assign(new DecisionModel(), {
      id: decision.id,
      text: decision.text,
      createdAt: decision.createdAt,
      agendaItemId: decision.agendaItem.id,
      meetingId: decision.meeting.id,
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
