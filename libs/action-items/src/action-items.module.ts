import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { CaseSummariesModule } from '@hub/case-summaries';
import { ActionItem, ActionItemChange, ActionItemComment } from './action-item.entity';
import { ActionItemsRepository } from './action-items.repository';
import { ActionItemsService } from './action-items.service';

@Module({
  imports: [MikroOrmModule.forFeature([ActionItem, ActionItemComment, ActionItemChange]), CaseSummariesModule],
  providers: [ActionItemsService, ActionItemsRepository],
  exports: [ActionItemsService, ActionItemsRepository],
})
export class ActionItemsModule {}
