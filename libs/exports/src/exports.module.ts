import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { MeetingsModule } from '@hub/meetings';
import { CalendarFeed } from './calendar-feed.entity';
import { CalendarService } from './calendar.service';
import { MinutesService } from './minutes.service';

@Module({
  imports: [MikroOrmModule.forFeature([CalendarFeed]), AuditModule, MeetingsModule],
  providers: [CalendarService, MinutesService],
  exports: [CalendarService, MinutesService],
})
export class ExportsModule {}
