import type { HubEventTypeOf } from '@hub/contracts';
import { type EventEnvelope } from './event-map';

/** Narrows an envelope to one family of events ('membership', 'caseSummary', …) by its type's prefix. */
export function isEventOf<Family extends string>(
  envelope: EventEnvelope,
  family: Family,
): envelope is EventEnvelope<HubEventTypeOf<Family>> {
  return envelope.type.startsWith(`${family}.`);
}
