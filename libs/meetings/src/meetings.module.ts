import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CaseSummariesModule } from '@hub/case-summaries';
import { AgendaItem, Attendance, Decision, Meeting, MinuteNote } from './meeting.entity';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [MikroOrmModule.forFeature([Meeting, AgendaItem, Attendance, MinuteNote, Decision]), CaseSummariesModule],
  providers: [MeetingsService, MeetingsRepository],
  exports: [MeetingsService, MeetingsRepository],
})
export class MeetingsModule {}
