import { type EntityManager } from '@mikro-orm/core';
import { ActionItem, ActionItemChange, ActionItemPriority, ActionItemStatus, calendarDate } from '@hub/action-items';
import { CaseStage, CaseSummary, CaseSummaryRevision, ExploitationForm } from '@hub/case-summaries';
import { type Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus, MinuteNote } from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';
import { CaseSection } from '@hub/access';

const DAY = 24 * 3600_000;

/** The demo members of one task force, by seat slug (anitp, diicot, police, ngo, …). */
export type Seats = Record<string, Member>;

function atHour(daysFromNow: number, hour: number): Date {
  const date = new Date(Date.now() + daysFromNow * DAY);
  date.setUTCHours(hour - 2, 0, 0, 0); // Bucharest is UTC+2 in winter; close enough for demo data
  return date;
}

/**
 * What a task force has been working on: two case summaries, a coordination meeting held last week
 * with its minutes and decisions, one scheduled for next week, and action items in every state.
 * The texts hold no personal identifiers, as the hub requires.
 */
export function seedDemoWork(em: EntityManager, taskForce: TaskForce, seats: Seats): void {
  const code = taskForce.code;
  const cases = [
    {
      caseCode: `${code}-2026-014`,
      stage: CaseStage.INVESTIGATION,
      forms: [ExploitationForm.LABOUR],
      counts: { victims: 6, minors: 0, victimsInProceedings: 3, protectedWitnesses: 1 },
      sections: {
        [CaseSection.OVERVIEW]:
          'Six adults recruited for agricultural work abroad through an online advert; wages withheld, documents confiscated.',
        [CaseSection.INVESTIGATION]:
          'Financial flows between the recruiting firm and two transport companies under analysis; joint team with the destination country requested.',
        [CaseSection.PROSECUTION]: 'Preventive measures requested for two suspects.',
        [CaseSection.VICTIM_SUPPORT]:
          'Three victims in the assistance programme; two need legal counselling before the hearings.',
      },
    },
    {
      caseCode: `${code}-2026-021`,
      stage: CaseStage.IDENTIFICATION,
      forms: [ExploitationForm.SEXUAL, ExploitationForm.FORCED_CRIMINALITY],
      counts: { victims: 2, minors: 1, victimsInProceedings: 0, protectedWitnesses: 0 },
      sections: {
        [CaseSection.OVERVIEW]: 'Two victims identified after a referral from a school counsellor; one is a minor.',
        [CaseSection.INVESTIGATION]: '',
        [CaseSection.PROSECUTION]: '',
        [CaseSection.VICTIM_SUPPORT]: 'Child protection informed; emergency placement arranged for the minor.',
      },
    },
  ].map((spec) => {
    const summary = em.create(CaseSummary, {
      taskForce,
      caseCode: spec.caseCode,
      stage: spec.stage,
      exploitationForms: spec.forms,
      ...spec.counts,
      overview: spec.sections[CaseSection.OVERVIEW],
      investigation: spec.sections[CaseSection.INVESTIGATION],
      prosecution: spec.sections[CaseSection.PROSECUTION],
      victimSupport: spec.sections[CaseSection.VICTIM_SUPPORT],
      createdBy: seats.police,
      updatedBy: seats.police,
    });
    em.create(CaseSummaryRevision, {
      caseSummary: summary,
      version: 1,
      author: seats.police,
      changed: [
        'caseCode',
        'stage',
        'exploitationForms',
        'counts',
        ...Object.values(CaseSection).filter((s) => spec.sections[s]),
      ],
      snapshot: {
        caseCode: spec.caseCode,
        stage: spec.stage,
        exploitationForms: spec.forms,
        ...spec.counts,
        sections: spec.sections,
      },
    });
    return summary;
  });

  const held = em.create(Meeting, {
    taskForce,
    title: 'Monthly coordination meeting',
    startsAt: atHour(-7, 10),
    endsAt: atHour(-7, 12),
    place: 'Prefecture, meeting room 2',
    status: MeetingStatus.ENDED,
    startedAt: atHour(-7, 10),
    endedAt: atHour(-7, 12),
    createdBy: seats.anitp,
  });
  const heldAgenda = [
    'Case updates',
    `Case ${cases[0].caseCode}: joint investigation team`,
    'Victim assistance capacity',
  ].map((title, position) =>
    em.create(AgendaItem, {
      meeting: held,
      position,
      title,
      presenter: [seats.anitp, seats.diicot, seats.ngo][position],
      caseSummary: position === 1 ? cases[0] : null,
      timeBoxMinutes: 30,
    }),
  );
  for (const seat of ['anitp', 'diicot', 'police', 'ngo', 'social', 'court']) {
    em.create(Attendance, {
      meeting: held,
      member: seats[seat],
      mode: seat === 'court' ? AttendanceMode.REMOTE : AttendanceMode.IN_PERSON,
      arrivedAt: atHour(-7, 10),
      leftAt: atHour(-7, 12),
      markedBy: seats.anitp,
    });
  }
  em.create(MinuteNote, {
    meeting: held,
    agendaItem: heldAgenda[1],
    author: seats.diicot,
    text: 'Request to the destination country sent; answer expected within two weeks.',
    createdAt: atHour(-7, 11),
  });
  em.create(MinuteNote, {
    meeting: held,
    agendaItem: heldAgenda[2],
    author: seats.ngo,
    text: 'Shelter has two free places this month.',
    createdAt: atHour(-7, 11),
  });
  const decision = em.create(Decision, {
    meeting: held,
    agendaItem: heldAgenda[1],
    text: 'Prepare the joint investigation team agreement.',
    caseSummary: cases[0],
    recordedBy: seats.anitp,
    createdAt: atHour(-7, 11),
  });

  const upcoming = em.create(Meeting, {
    taskForce,
    title: 'Coordination meeting',
    startsAt: atHour(7, 10),
    endsAt: atHour(7, 12),
    callLink: 'https://meet.example.org/task-force',
    createdBy: seats.anitp,
  });
  ['Follow-up of last decisions', `Case ${cases[1].caseCode}`, 'Any other business'].forEach((title, position) =>
    em.create(AgendaItem, {
      meeting: upcoming,
      position,
      title,
      presenter: position === 1 ? seats.social : seats.anitp,
      caseSummary: position === 1 ? cases[1] : null,
      timeBoxMinutes: 20,
    }),
  );

  const items: [string, Partial<ActionItem>, ActionItemStatus][] = [
    [
      'Draft the joint investigation team agreement',
      {
        assigneeMember: seats.diicot,
        decision,
        meeting: held,
        caseSummary: cases[0],
        priority: ActionItemPriority.HIGH,
        dueOn: calendarDate(new Date(Date.now() + 5 * DAY)),
      },
      ActionItemStatus.IN_PROGRESS,
    ],
    [
      'Arrange legal counselling for two victims',
      {
        assigneeAgency: seats.ngo.agency,
        meeting: held,
        caseSummary: cases[0],
        dueOn: calendarDate(new Date(Date.now() - 2 * DAY)),
      },
      ActionItemStatus.OPEN,
    ],
    [
      'Report shelter capacity for next month',
      { assigneeMember: seats.social, dueOn: calendarDate(new Date(Date.now() + 2 * DAY)) },
      ActionItemStatus.OPEN,
    ],
    [
      'Inspect the recruiting firm’s premises',
      {
        assigneeAgency: seats.labour.agency,
        caseSummary: cases[0],
        dueOn: calendarDate(new Date(Date.now() - 1 * DAY)),
      },
      ActionItemStatus.DONE,
    ],
  ];
  for (const [title, fields, status] of items) {
    const item = em.create(ActionItem, {
      taskForce,
      title,
      createdBy: seats.anitp,
      status,
      completedAt: status === ActionItemStatus.DONE ? new Date() : null,
      dueOn: fields.dueOn!,
      ...fields,
    });
    em.create(ActionItemChange, {
      actionItem: item,
      actor: seats.anitp,
      kind: 'created',
      before: null,
      after: { title, dueOn: item.dueOn, status: ActionItemStatus.OPEN },
    });
    if (status !== ActionItemStatus.OPEN) {
      em.create(ActionItemChange, {
        actionItem: item,
        actor: seats.anitp,
        kind: 'status',
        before: { status: ActionItemStatus.OPEN },
        after: { status },
      });
    }
  }
}
