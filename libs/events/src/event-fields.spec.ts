import type { HubEventMap } from '@hub/contracts';
import { EVENT_FIELDS, type FieldsOf, HUB_EVENT_TYPES, idsOf, isHubEventType, payloadTypeName } from './event-fields';

describe('EVENT_FIELDS, the run-time twin of the typed event map', () => {
  it('cannot drift from HubEventMap: a missing, extra or retyped field does not compile', () => {
    // @ts-expect-error a payload field is missing (reason)
    const missing: FieldsOf<HubEventMap['meeting.cancelled']> = { meetingId: 'ID' };
    // @ts-expect-error a field the payload does not have
    const extra: FieldsOf<HubEventMap['meeting.ended']> = { meetingId: 'ID', title: 'String' };
    const retyped: FieldsOf<HubEventMap['caseSummary.updated']> = {
      ...EVENT_FIELDS['caseSummary.updated'],
      // @ts-expect-error version is a number, not a string
      version: 'String',
    };
    // @ts-expect-error a nullable field declared non-null
    const notNull: FieldsOf<HubEventMap['meeting.cancelled']> = { meetingId: 'ID', reason: 'String' };
    expect([missing, extra, retyped, notNull]).toHaveLength(4);
  });

  it('names every event type once, with a distinct payload type name', () => {
    expect(new Set(HUB_EVENT_TYPES).size).toBe(25);
    expect(new Set(HUB_EVENT_TYPES.map(payloadTypeName)).size).toBe(HUB_EVENT_TYPES.length);
    expect(payloadTypeName('meeting.agendaAdvanced')).toBe('MeetingAgendaAdvancedEvent');
    expect(isHubEventType('actionItem.updated')).toBe(true);
    expect(isHubEventType('toString')).toBe(false);
  });

  it('idsOf keeps the top-level ids and never text', () => {
    expect(
      idsOf('meeting.noteAdded', {
        meetingId: 'm',
        agendaItemId: 'a',
        noteId: 'n',
        authorId: 'p',
        text: 'a victim was seen in Constanța',
      }),
    ).toEqual({ meetingId: 'm', agendaItemId: 'a', noteId: 'n', authorId: 'p' });
    expect(idsOf('meeting.cancelled', { meetingId: 'm', reason: null })).toEqual({ meetingId: 'm' });
  });
});
