import { ApiError } from '../src/api/graphql';
import type { ActionItemChange, LiveEnvelope } from '../src/api/types';
import { errorText } from '../src/app/errors';
import { eventSentence, historySentence, type SentenceContext } from '../src/app/sentences';
import type { Translate } from '../src/i18n';
import { en, ro } from '../src/i18n/messages';

/**
 * Timelines and refusals as the reader reads them, in both languages: people, agencies and values by
 * their labels, never an id or a code. react-intl ships ES modules only (Jest runs CommonJS here), so
 * the messages are formatted by a small ICU subset below ({name} and plural); messages.spec.ts checks
 * every message with react-intl itself.
 */
function translator(table: Record<string, string>, locale: string): Translate {
  const plural = new Intl.PluralRules(locale);
  const fill = (text: string, values: Record<string, string | number>): string => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '{') {
        out += text[i];
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      const inner = text.slice(i + 1, j - 1);
      const [name, kind] = inner.split(',').map((s) => s.trim());
      if (kind === 'plural') {
        const n = Number(values[name]);
        const options = new Map([...inner.matchAll(/(\w+)\s*\{([^{}]*)\}/g)].map((m) => [m[1], m[2]]));
        out += (options.get(plural.select(n)) ?? options.get('other') ?? '').replace(/#/g, String(n));
      } else out += name in values ? String(values[name]) : `{${name}}`;
      i = j - 1;
    }
    return out;
  };
  return (key, values = {}) => fill(table[key], values);
}

const ID = {
  ana: '0b3e6f0a-1111-4a1a-9a1a-000000000001',
  elena: '0b3e6f0a-1111-4a1a-9a1a-000000000002',
  gone: '0b3e6f0a-1111-4a1a-9a1a-000000000099',
  ngo: '0b3e6f0a-2222-4a1a-9a1a-000000000001',
  meeting: '0b3e6f0a-3333-4a1a-9a1a-000000000001',
  item1: '0b3e6f0a-4444-4a1a-9a1a-000000000001',
  item3: '0b3e6f0a-4444-4a1a-9a1a-000000000003',
  action: '0b3e6f0a-5555-4a1a-9a1a-000000000001',
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;
const CODES =
  /\b(OPEN|IN_PROGRESS|BLOCKED|DONE|CANCELLED|LOW|NORMAL|HIGH|URGENT|REMOTE|IN_PERSON|COORDINATOR|MEMBER)\b|\b[a-z]+\.[a-z]+[A-Z]\w*/;

function context(language: 'en' | 'ro'): SentenceContext {
  const tag = language === 'ro' ? 'ro-RO' : 'en-GB';
  const day = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', dateStyle: 'medium' });
  return {
    t: translator(language === 'ro' ? ro : en, tag),
    date: (d) => day.format(new Date(`${d}T00:00:00Z`)),
    members: new Map([
      [ID.ana, 'Ana Popescu'],
      [ID.elena, 'Elena Tudor'],
    ]),
    agencies: new Map([[ID.ngo, 'Asociația Sprijin pentru Victime București']]),
    agenda: new Map([
      [ID.item1, { title: 'Opening', position: 1 }],
      [ID.item3, { title: 'Shelter capacity', position: 3 }],
    ]),
  };
}

const envelope = (type: string, actorId: string | null, data: unknown, withheld?: true) =>
  ({
    type,
    taskForceId: 'tf',
    cursor: 7,
    at: '2026-12-01T10:00:00Z',
    actorId,
    data,
    ...(withheld && { withheld }),
  }) as LiveEnvelope;

const action = {
  actionItemId: ID.action,
  title: 'Confirm shelter places',
  status: 'OPEN',
  priority: 'NORMAL',
  dueOn: '2031-03-14',
  assigneeMemberId: null,
  assigneeAgencyId: ID.ngo,
  meetingId: ID.meeting,
  caseSummaryId: null,
};

const EVENTS: [string, LiveEnvelope, string, string][] = [
  [
    'an agenda item opened',
    envelope('meeting.agendaAdvanced', ID.ana, { meetingId: ID.meeting, currentAgendaItemId: ID.item3 }),
    'Ana Popescu opened agenda item 3: Shelter capacity.',
    'Ana Popescu a deschis punctul 3 de pe ordinea de zi: Shelter capacity.',
  ],
  [
    'an item assigned to an agency',
    envelope('actionItem.created', ID.ana, action),
    'Ana Popescu assigned “Confirm shelter places” to Asociația Sprijin pentru Victime București, due 14 Mar 2031.',
    'Ana Popescu a atribuit sarcina „Confirm shelter places” către Asociația Sprijin pentru Victime București, cu termen 14 mar. 2031.',
  ],
  [
    'an item taken',
    envelope('actionItem.updated', ID.elena, {
      ...action,
      status: 'IN_PROGRESS',
      assigneeMemberId: ID.elena,
      changes: ['assignee', 'status'],
    }),
    'Elena Tudor took “Confirm shelter places”.',
    'Elena Tudor a preluat sarcina „Confirm shelter places”.',
  ],
  [
    'an item moved along',
    envelope('actionItem.updated', ID.elena, {
      ...action,
      status: 'IN_PROGRESS',
      assigneeMemberId: ID.ana,
      changes: ['status'],
    }),
    'Elena Tudor moved “Confirm shelter places” to In progress.',
    'Elena Tudor a trecut sarcina „Confirm shelter places” în starea În lucru.',
  ],
  [
    'a remote check-in',
    envelope('meeting.attendanceChanged', ID.ana, {
      meetingId: ID.meeting,
      attendanceId: 'a',
      memberId: ID.elena,
      mode: 'REMOTE',
      arrivedAt: '2026-12-01T10:00:00Z',
      leftAt: null,
    }),
    'Elena Tudor joined remotely.',
    'Elena Tudor participă de la distanță.',
  ],
  [
    'a note by someone who has left the task force',
    envelope('meeting.noteAdded', ID.gone, {
      meetingId: ID.meeting,
      agendaItemId: ID.item1,
      noteId: 'n',
      authorId: ID.gone,
      text: 'x',
    }),
    'A former member added a note to “Opening”.',
    'Un fost membru a adăugat o notă la „Opening”.',
  ],
  [
    'a withheld event',
    envelope('caseSummary.updated', ID.ana, null, true),
    'Ana Popescu made a change you are not shown.',
    'Ana Popescu a făcut o modificare care nu vă este afișată.',
  ],
  [
    'a role change',
    envelope('membership.roleChanged', ID.ana, { membershipId: 'm', memberId: ID.elena, role: 'COORDINATOR' }),
    'Ana Popescu made Elena Tudor coordinator.',
    'Ana Popescu a schimbat rolul: Elena Tudor este acum coordonator.',
  ],
];

describe('live activity as sentences', () => {
  it.each(EVENTS)('%s', (_, event, english, romanian) => {
    expect(eventSentence(event, context('en'))).toBe(english);
    expect(eventSentence(event, context('ro'))).toBe(romanian);
    for (const line of [english, romanian]) {
      expect(line).not.toMatch(UUID);
      expect(line).not.toMatch(CODES);
    }
  });

  it('counts agenda items with Romanian’s three plural forms', () => {
    const agenda = (n: number) =>
      eventSentence(
        envelope('meeting.agendaChanged', ID.ana, {
          meetingId: ID.meeting,
          agenda: Array.from({ length: n }, () => ({})),
        }),
        context('ro'),
      );
    expect([agenda(1), agenda(3), agenda(20)]).toEqual([
      'Ana Popescu a modificat ordinea de zi, care are acum 1 punct.',
      'Ana Popescu a modificat ordinea de zi, care are acum 3 puncte.',
      'Ana Popescu a modificat ordinea de zi, care are acum 20 de puncte.',
    ]);
  });
});

const change = (kind: string, before: unknown, after: unknown, actor = { id: ID.elena, displayName: 'Elena Tudor' }) =>
  ({
    id: '1',
    kind,
    before: before === null ? null : JSON.stringify(before),
    after: after === null ? null : JSON.stringify(after),
    at: '2026-12-01T10:00:00Z',
    actor,
  }) as ActionItemChange;

const HISTORY: [string, ActionItemChange, string, string][] = [
  [
    'created',
    change('created', null, { title: 'x', dueOn: '2031-03-14', status: 'OPEN' }),
    'Elena Tudor created the item.',
    'Elena Tudor a creat sarcina.',
  ],
  [
    'taken from the agency',
    change('assignee', { memberId: null, agencyId: ID.ngo }, { memberId: ID.elena, agencyId: ID.ngo }),
    'Elena Tudor took the item.',
    'Elena Tudor a preluat sarcina.',
  ],
  [
    'reassigned',
    change('assignee', { memberId: ID.elena, agencyId: null }, { memberId: null, agencyId: ID.ngo }),
    'Elena Tudor assigned the item to Asociația Sprijin pentru Victime București.',
    'Elena Tudor a atribuit sarcina către Asociația Sprijin pentru Victime București.',
  ],
  [
    'status',
    change('status', { status: 'OPEN' }, { status: 'IN_PROGRESS' }),
    'Elena Tudor moved the item to In progress.',
    'Elena Tudor a trecut sarcina în starea În lucru.',
  ],
  [
    'blocked',
    change('status', { status: 'IN_PROGRESS' }, { status: 'BLOCKED', reason: 'Waiting for the county' }),
    'Elena Tudor marked the item blocked: Waiting for the county',
    'Elena Tudor a marcat sarcina blocată: Waiting for the county',
  ],
  [
    'due date',
    change('dueOn', '2031-03-14', '2031-04-01'),
    'Elena Tudor moved the due date from 14 Mar 2031 to 1 Apr 2031.',
    'Elena Tudor a mutat termenul de la 14 mar. 2031 la 1 apr. 2031.',
  ],
  [
    'priority',
    change('priority', 'NORMAL', 'URGENT'),
    'Elena Tudor changed the priority from Normal to Urgent.',
    'Elena Tudor a schimbat prioritatea din Normală în Urgentă.',
  ],
  [
    'a linked case the reader sees',
    change('caseSummary', null, 'case-1'),
    'Elena Tudor linked the item to the case summary BUC-2026-001.',
    'Elena Tudor a legat sarcina de fișa de caz BUC-2026-001.',
  ],
];

describe('action item history as sentences', () => {
  it.each(HISTORY)('%s', (_, entry, english, romanian) => {
    const caseSummary = { id: 'case-1', caseCode: 'BUC-2026-001' };
    expect(historySentence(entry, { ...context('en'), caseSummary })).toBe(english);
    expect(historySentence(entry, { ...context('ro'), caseSummary })).toBe(romanian);
  });
});

describe('refusals in the reader’s language', () => {
  const both = (error: ApiError, labels?: Record<string, string>) => [
    errorText(error, context('en').t, labels),
    errorText(error, context('ro').t, labels),
  ];

  it('names the field by its label and the kind of identifier, never the server’s words', () => {
    const refused = new ApiError('"sections.victimSupport" seems to contain a CNP…', 'BAD_USER_INPUT', {
      code: 'BAD_USER_INPUT',
      field: 'sections.victimSupport',
      identifier: 'CNP',
    });
    expect(both(refused)).toEqual([
      'Victim support: This looks like a personal numeric code (CNP). Describe the person without identifying them.',
      'Asistența victimelor: Pare un cod numeric personal (CNP). Descrieți persoana fără a o identifica.',
    ]);
    const decision = new ApiError('"text" seems to contain a phone number…', 'BAD_USER_INPUT', {
      field: 'input.text',
      identifier: 'PHONE',
    });
    expect(both(decision, { text: 'Decizie' })[1]).toBe('Decizie: Pare un număr de telefon. Eliminați-l.');
  });

  it('maps conflicts, limits and unknown fields; the server sentence only for a code it does not know', () => {
    expect(
      both(new ApiError('Someone of your agency has already taken this item.', 'CONFLICT', { field: 'id' })),
    ).toEqual([
      'Someone of your agency has already taken this item.',
      'Cineva din instituția dumneavoastră a preluat deja această sarcină.',
    ]);
    expect(both(new ApiError('You cannot add notes: the meeting has ended.', 'CONFLICT', { status: 'ENDED' }))).toEqual(
      ['Not possible now: the meeting’s status is “Ended”.', 'Nu se poate acum: starea ședinței este „Încheiată”.'],
    );
    expect(both(new ApiError('Slow down.', 'RATE_LIMITED', { retryAfterSeconds: 3 }))[1]).toBe(
      'Prea multe încercări. Încercați din nou peste 3 secunde.',
    );
    expect(both(new ApiError('dueOn must be a date…', 'BAD_USER_INPUT', { field: 'input.title' }))).toEqual([
      'Check “Title”: the hub did not accept what was entered.',
      'Verificați „Titlu”: platforma nu a acceptat ce ați introdus.',
    ]);
    expect(both(new ApiError('A brand new refusal.', 'TEAPOT'))[1]).toBe('A apărut o problemă: A brand new refusal.');
  });
});
