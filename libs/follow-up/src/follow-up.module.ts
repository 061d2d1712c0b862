import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hub/action-items';
import { MeetingsModule } from '@hub/meetings';
import { FollowUpService } from './follow-up.service';

@Module({
  imports: [MeetingsModule, ActionItemsModule],
  providers: [FollowUpService],
  exports: [FollowUpService],
})
export class FollowUpModule {}
