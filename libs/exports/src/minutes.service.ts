import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor } from '@hub/access';
import { ActionItem, TIME_ZONE } from '@hub/action-items';
import { AuditService } from '@hub/audit';
import { CaseSummary } from '@hub/case-summaries';
import { badInput } from '@hub/core';
import { DomainEvent } from '@hub/events';
import { Agency, Member, Membership } from '@hub/identity';
import { AgendaItem, Attendance, Decision, MeetingStatus, MeetingsService, MinuteNote } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import {
  LANGUAGE_TAGS,
  MINUTES_LANGUAGES,
  type MinutesKey,
  type MinutesLanguage,
  minutesWords,
} from './minutes.messages';
import { minutesMarkdown } from './minutes.markdown';
import { minutesPdf } from './minutes.pdf';

export type MinutesFormat = 'md' | 'pdf';

/**
 * The minutes as the reader's language puts them, every value already a label: what both renderings
 * (Markdown, PDF) are written from, so they cannot differ in what they show.
 */
export interface MinutesModel {
  language: MinutesLanguage;
  heading: string;
  facts: string[];
  attendance: {
    title: string;
    summary: string;
    columns: string[];
    /** Agency, member, attended (or absent), arrived, left; sorted by agency, present first. */
    rows: string[][];
    empty: string;
  };
  agenda: {
    title: string;
    empty: string;
    items: {
      heading: string;
      details: string;
      notesTitle: string;
      notes: string[];
      decisionsTitle: string;
      decisions: string[];
      empty: string;
    }[];
  };
  actionItems: { title: string; columns: string[]; rows: string[][]; empty: string };
  footer: string;
}

export interface MinutesDocument {
  filename: string;
  markdown: string;
}

export interface MinutesFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/**
 * The language a caller asked for: Romanian when it asked for none, a refusal (naming the caller's
 * own parameter: `lang` in a URL, `language` in GraphQL) for anything else.
 */
export function minutesLanguage(value: string | null | undefined, field = 'lang'): MinutesLanguage {
  if (value === undefined || value === null || value === '') return 'ro';
  const language = value.toLowerCase();
  if ((MINUTES_LANGUAGES as readonly string[]).includes(language)) return language as MinutesLanguage;
  throw badInput(field, `The minutes come in ${MINUTES_LANGUAGES.join(' or ')}.`);
}

/**
 * The minutes of a meeting (a proces-verbal): when it was actually held, where, who chaired, who of
 * each agency was present or absent, the agenda with its notes and decisions, and the action items
 * created, with every value as a label in the reader's language. Case summaries appear by case code
 * only, never their sections, so the document holds nothing a member of the task force may not read.
 */
@Injectable()
export class MinutesService {
  constructor(
    private readonly em: EntityManager,
    private readonly meetings: MeetingsService,
    private readonly audit: AuditService,
  ) {}

  /** The Markdown document (kept for the GraphQL query and the .md download). */
  async document(actor: Actor, meetingId: string, language: MinutesLanguage = 'ro'): Promise<MinutesDocument> {
    const { model, filename } = await this.build(actor, meetingId, language, 'md');
    return { filename, markdown: minutesMarkdown(model) };
  }

  async file(actor: Actor, meetingId: string, language: MinutesLanguage, format: MinutesFormat): Promise<MinutesFile> {
    const { model, filename } = await this.build(actor, meetingId, language, format);
    return format === 'pdf'
      ? { filename, contentType: 'application/pdf', body: await minutesPdf(model) }
      : { filename, contentType: 'text/markdown; charset=utf-8', body: Buffer.from(minutesMarkdown(model), 'utf8') };
  }

  private async build(
    actor: Actor,
    meetingId: string,
    language: MinutesLanguage,
    format: MinutesFormat,
  ): Promise<{ model: MinutesModel; filename: string }> {
    const meeting = await this.meetings.get(actor, meetingId);
    const w = minutesWords(language);
    const tag = LANGUAGE_TAGS[language];
    const dayFormat = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, dateStyle: 'long' });
    const time = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
    // A due date is a calendar day, not an instant: formatted as it is.
    const dueFormat = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', dateStyle: 'medium' });
    const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }); // YYYY-MM-DD

    const em = this.em.fork();
    const [taskForce, agenda, attendance, notes, decisions, actionItems, memberships, started] = await Promise.all([
      em.findOneOrFail(TaskForce, { id: meeting.taskForce.id }),
      em.find(AgendaItem, { meeting: meeting.id }, { orderBy: { position: 'asc' } }),
      em.find(Attendance, { meeting: meeting.id }, { orderBy: { arrivedAt: 'asc', id: 'asc' } }),
      em.find(MinuteNote, { meeting: meeting.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      em.find(Decision, { meeting: meeting.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      em.find(ActionItem, { meeting: meeting.id }, { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }] }),
      em.find(Membership, { taskForce: meeting.taskForce.id }),
      // Who started the meeting chaired it. Only the outbox knows, for RETENTION_DAYS; after that the
      // minutes leave the chair out rather than guess.
      em.findOne(DomainEvent, { meetingId: meeting.id, type: 'meeting.started' }, { orderBy: { id: 'asc' } }),
    ]);
    const chairId = started?.actorId ?? null;
    const memberIds = new Set<string>([
      ...(chairId ? [chairId] : []),
      actor.memberId,
      ...memberships.map((m) => m.member.id),
      ...agenda.flatMap((a) => (a.presenter ? [a.presenter.id] : [])),
      ...attendance.map((a) => a.member.id),
      ...notes.map((n) => n.author.id),
      ...actionItems.flatMap((i) => (i.assigneeMember ? [i.assigneeMember.id] : [])),
    ]);
    const members = new Map((await em.find(Member, { id: { $in: [...memberIds] } })).map((m) => [m.id, m]));
    const agencyIds = new Set([
      ...[...members.values()].map((m) => m.agency.id),
      ...actionItems.flatMap((i) => (i.assigneeAgency ? [i.assigneeAgency.id] : [])),
    ]);
    const agencies = new Map((await em.find(Agency, { id: { $in: [...agencyIds] } })).map((a) => [a.id, a]));
    const caseIds = new Set(
      [...agenda, ...decisions, ...actionItems].flatMap((x) => (x.caseSummary ? [x.caseSummary.id] : [])),
    );
    const cases = new Map((await em.find(CaseSummary, { id: { $in: [...caseIds] } })).map((c) => [c.id, c.caseCode]));
    const name = (id: string) => members.get(id)?.displayName ?? w('unknownMember');
    const agencyOf = (id: string) => {
      const member = members.get(id);
      return (member && agencies.get(member.agency.id)?.name) ?? '';
    };
    const caseCode = (ref?: { id: string } | null) => (ref ? (cases.get(ref.id) ?? '?') : null);

    const zone = TIME_ZONE;
    const facts = [w('taskForce', { code: taskForce.code, name: taskForce.name })];
    if (meeting.startedAt && meeting.endedAt)
      facts.push(
        w('held', {
          day: dayFormat.format(meeting.startedAt),
          from: time.format(meeting.startedAt),
          to: time.format(meeting.endedAt),
          zone,
        }),
      );
    else if (meeting.startedAt)
      facts.push(
        w('heldSince', { day: dayFormat.format(meeting.startedAt), from: time.format(meeting.startedAt), zone }),
      );
    else
      facts.push(
        w('notHeld', {
          day: dayFormat.format(meeting.startsAt),
          from: time.format(meeting.startsAt),
          to: time.format(meeting.endsAt),
          zone,
          status: w(`status.${String(meeting.status)}` as MinutesKey),
        }),
      );
    if (meeting.status === MeetingStatus.CANCELLED && meeting.cancelReason)
      facts.push(w('cancelReason', { reason: meeting.cancelReason }));
    if (meeting.place) facts.push(w('place', { place: meeting.place }));
    if (meeting.callLink) facts.push(w('call', { link: meeting.callLink }));
    if (meeting.startedAt && chairId) facts.push(w('chair', { name: name(chairId), agency: agencyOf(chairId) }));

    // Present: everyone who checked in (also if they have left the task force since); absent: the
    // members of the task force who did not. Grouped by agency, in the order of the alphabet.
    const collator = new Intl.Collator(tag);
    const firstVisit = new Map<string, Attendance>();
    for (const a of attendance) if (!firstVisit.has(a.member.id)) firstVisit.set(a.member.id, a);
    // Left: the last time they left, unless one of their visits is still open.
    const lastLeft = (memberId: string) => {
      let last: Date | null = null;
      for (const visit of attendance.filter((a) => a.member.id === memberId)) {
        if (!visit.leftAt) return null;
        if (!last || visit.leftAt > last) last = visit.leftAt;
      }
      return last;
    };
    const rows: { agency: string; present: boolean; cells: string[] }[] = [];
    for (const [memberId, visit] of firstVisit) {
      const left = lastLeft(memberId);
      rows.push({
        agency: agencyOf(memberId),
        present: true,
        cells: [
          agencyOf(memberId),
          name(memberId),
          visit.mode === 'REMOTE' ? w('remote') : w('inPerson'),
          time.format(visit.arrivedAt),
          left ? time.format(left) : '',
        ],
      });
    }
    // Someone who joined the task force after the meeting ended was not absent from it.
    const heldUntil = meeting.endedAt ?? null;
    for (const membership of memberships) {
      const memberId = membership.member.id;
      if (firstVisit.has(memberId)) continue;
      if (heldUntil && membership.createdAt > heldUntil) continue;
      rows.push({
        agency: agencyOf(memberId),
        present: false,
        cells: [agencyOf(memberId), name(memberId), w('absent'), '', ''],
      });
    }
    rows.sort(
      (a, b) =>
        collator.compare(a.agency, b.agency) ||
        Number(b.present) - Number(a.present) ||
        collator.compare(a.cells[1], b.cells[1]),
    );
    const presentCount = rows.filter((r) => r.present).length;

    const model: MinutesModel = {
      language,
      heading: w('title', { title: meeting.title }),
      facts,
      attendance: {
        title: w('attendance'),
        summary: w('attendanceCounts', { present: presentCount, absent: rows.length - presentCount }),
        columns: [w('colAgency'), w('colMember'), w('colAttendance'), w('colArrived'), w('colLeft')],
        rows: rows.map((r) => r.cells),
        empty: w('noMembers'),
      },
      agenda: {
        title: w('agenda'),
        empty: w('agendaEmpty'),
        items: agenda.map((item, index) => {
          const code = caseCode(item.caseSummary);
          return {
            heading: `${index + 1}. ${item.title}`,
            details: [
              item.presenter ? w('presentedBy', { name: name(item.presenter.id) }) : '',
              code ? w('caseRef', { code }) : '',
              item.timeBoxMinutes ? w('minutes', { minutes: item.timeBoxMinutes }) : '',
            ]
              .filter(Boolean)
              .join('; '),
            notesTitle: w('notes'),
            notes: notes
              .filter((n) => n.agendaItem.id === item.id)
              // A note corrected while the meeting ran says so; its earlier texts stay in its history.
              .map(
                (n) =>
                  `${time.format(n.createdAt)} ${name(n.author.id)}: ${n.text}` +
                  (n.correctedAt ? ` (${w('corrected', { time: time.format(n.correctedAt) })})` : ''),
              ),
            decisionsTitle: w('decisions'),
            decisions: decisions
              .filter((d) => d.agendaItem.id === item.id)
              .map((d) => {
                const decided = caseCode(d.caseSummary);
                const remarks = [
                  decided ? w('caseRef', { code: decided }) : '',
                  d.reviewOn ? w('reviewOn', { date: dueFormat.format(new Date(`${d.reviewOn}T00:00:00Z`)) }) : '',
                ].filter(Boolean);
                return remarks.length ? `${d.text} (${remarks.join('; ')})` : d.text;
              }),
            empty: w('noNotes'),
          };
        }),
      },
      actionItems: {
        title: w('actionItems'),
        columns: [w('colItem'), w('colAssignee'), w('colDue'), w('colPriority'), w('colStatus')],
        rows: actionItems.map((item) => {
          const code = caseCode(item.caseSummary);
          const assignee = item.assigneeMember
            ? name(item.assigneeMember.id)
            : (agencies.get(item.assigneeAgency?.id ?? '')?.name ?? '');
          return [
            code ? `${item.title} (${w('caseRef', { code })})` : item.title,
            assignee,
            dueFormat.format(new Date(`${item.dueOn}T00:00:00Z`)),
            w(`priority.${String(item.priority)}` as MinutesKey),
            w(`actionStatus.${String(item.status)}` as MinutesKey),
          ];
        }),
        empty: w('none'),
      },
      footer: w('generated', { name: name(actor.memberId) }),
    };

    // One record per download, whatever its language or format: the trail says who took the minutes.
    await this.audit.recordNow({
      action: 'minutes.exported',
      actorId: actor.memberId,
      taskForceId: taskForce.id,
      subjectType: 'Meeting',
      subjectId: meeting.id,
      ip: actor.ip,
      details: { format, language },
    });
    // Named after the day it was held (the day it was planned for when it was not).
    const day = isoDay.format(meeting.startedAt ?? meeting.startsAt);
    return { model, filename: `${w('file')}-${taskForce.code.toLowerCase()}-${day}.${format}` };
  }
}
