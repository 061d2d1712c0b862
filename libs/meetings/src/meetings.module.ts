import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CaseSummariesModule } from '@hub/case-summaries';
import {
  AgendaItem,
  AgendaTemplate,
  Attendance,
  Decision,
  Meeting,
  MeetingSeries,
  MinuteNote,
  MinuteNoteRevision,
} from './meeting.entity';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [
    MikroOrmModule.forFeature([
      Meeting,
      AgendaItem,
      Attendance,
      MinuteNote,
      MinuteNoteRevision,
      Decision,
      MeetingSeries,
      AgendaTemplate,
    ]),
    CaseSummariesModule,
  ],
  providers: [MeetingsService, MeetingsRepository],
  exports: [MeetingsService, MeetingsRepository],
})
export class MeetingsModule {}
