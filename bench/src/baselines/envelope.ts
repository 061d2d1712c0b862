import type { EventEnvelope } from '@hub/contracts';
import { randomUUID } from 'node:crypto';

/**
 * The baselines push the same envelope the hub pushes for a minute note (`meeting.noteAdded`):
 * same keys, same kind of values, same size (± the digits of the sequence number).
 */
const ids = { taskForceId: randomUUID(), actorId: randomUUID(), meetingId: randomUUID(), agendaItemId: randomUUID() };

export function benchEnvelope(seq: number, cursor: number): EventEnvelope<'meeting.noteAdded'> {
  return {
    type: 'meeting.noteAdded',
    taskForceId: ids.taskForceId,
    cursor,
    at: new Date().toISOString(),
    actorId: ids.actorId,
    data: {
      meetingId: ids.meetingId,
      agendaItemId: ids.agendaItemId,
      noteId: randomUUID(),
      authorId: ids.actorId,
      text: `Bench note bench-${seq}`,
    },
  };
}

/** Reads `?a=b` of a request URL. */
export function params(url: string | undefined): URLSearchParams {
  return new URL(url ?? '/', 'http://x').searchParams;
}
