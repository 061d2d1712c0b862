import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { NotificationEnvelope } from '@hub/contracts';
import { EventEnvelope, isHubEventType } from '@hub/events';
import { EVENT_TYPE, LiveEventPayload, type TypedPayload } from './live-event-payload.model';

@ObjectType('LiveEvent', {
  description: 'One domain event, as the Socket.IO gateway pushes it: the same envelope and names.',
})
export class LiveEventModel {
  @Field({ description: 'The event type, such as meeting.agendaAdvanced or actionItem.updated.' }) type: string;
  @Field() taskForceId: string;
  @Field(() => Int, {
    description:
      'Gap-free per task force: resubscribe with after = the last one you saw. For notification.created, the inbox position (increasing, not gap-free).',
  })
  cursor: number;
  @Field() at: string;
  @Field(() => String, { nullable: true }) actorId: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The payload as JSON; null when withheld from your agency.',
    deprecationReason: 'Use payload: the same content, typed per event type (… on ActionItemUpdatedEvent { … }).',
  })
  data: string | null;
  @Field(() => LiveEventPayload, {
    nullable: true,
    description:
      'The payload, typed per event type; null when withheld from your agency, and for an inbox notice (read data).',
  })
  payload: TypedPayload | null;
  @Field({
    description: 'True when the content was withheld from your agency (the envelope keeps your stream gap-free).',
  })
  withheld: boolean;

  static from(envelope: EventEnvelope | NotificationEnvelope): LiveEventModel {
    return Object.assign(new LiveEventModel(), {
      type: envelope.type,
      taskForceId: envelope.taskForceId,
      cursor: envelope.cursor,
      at: envelope.at,
      actorId: envelope.actorId,
      data: envelope.data === null ? null : JSON.stringify(envelope.data),
      // The typed union covers the domain events; an inbox notice (myNotifications) keeps its fields in data.
      payload:
        envelope.data === null || !isHubEventType(envelope.type)
          ? null
          : { ...envelope.data, [EVENT_TYPE]: envelope.type },
      withheld: 'withheld' in envelope && envelope.withheld === true,
    });
  }
}
