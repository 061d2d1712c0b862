import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor } from '@hub/access';
import { ActionItem, TIME_ZONE } from '@hub/action-items';
import { AuditService } from '@hub/audit';
import { CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { AgendaItem, Attendance, Decision, MeetingsService, MinuteNote } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeStyle: 'short' });

/** Text typed by people goes into Markdown as text: no accidental headings, links or table breaks. */
function inline(text: string): string {
  return (
    text
      // Every line ending Markdown knows (and the Unicode separators) becomes a space: typed text stays on its line.
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .replace(/([\\`*_{}[\]()<>#+!|~])/g, '\\$1')
      .trim()
  );
}

export interface MinutesDocument {
  filename: string;
  markdown: string;
}

/**
 * The minutes of a meeting as a Markdown document: attendance, the agenda with its notes and
 * decisions, and the action items created. Case summaries appear by case code only, never their sections.
 */
@Injectable()
export class MinutesService {
  constructor(
    private readonly em: EntityManager,
    private readonly meetings: MeetingsService,
    private readonly audit: AuditService,
  ) {}

  async document(actor: Actor, meetingId: string): Promise<MinutesDocument> {
    const meeting = await this.meetings.get(actor, meetingId);
    const em = this.em.fork();
    const [taskForce, agenda, attendance, notes, decisions, actionItems] = await Promise.all([
      em.findOneOrFail(TaskForce, { id: meeting.taskForce.id }),
      em.find(AgendaItem, { meeting: meeting.id }, { orderBy: { position: 'asc' } }),
      em.find(Attendance, { meeting: meeting.id }, { orderBy: { arrivedAt: 'asc', id: 'asc' } }),
      em.find(MinuteNote, { meeting: meeting.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      em.find(Decision, { meeting: meeting.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      em.find(ActionItem, { meeting: meeting.id }, { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }] }),
    ]);
    const memberIds = new Set<string>([
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
    const name = (id: string) => inline(members.get(id)?.displayName ?? 'unknown member');
    const caseRef = (ref?: { id: string } | null) => (ref ? ` (case ${inline(cases.get(ref.id) ?? '?')})` : '');

    const lines: string[] = [
      `# Minutes: ${inline(meeting.title)}`,
      '',
      `- Task force: ${inline(taskForce.code)}, ${inline(taskForce.name)}`,
      `- Scheduled: ${dateTime.format(meeting.startsAt)} to ${time.format(meeting.endsAt)} (${TIME_ZONE})`,
      ...(meeting.place ? [`- Place: ${inline(meeting.place)}`] : []),
      ...(meeting.callLink ? [`- Call: ${inline(meeting.callLink)}`] : []),
      `- Status: ${meeting.status}${meeting.startedAt ? `, started ${time.format(meeting.startedAt)}` : ''}${meeting.endedAt ? `, ended ${time.format(meeting.endedAt)}` : ''}`,
      '',
      '## Attendance',
      '',
    ];
    if (attendance.length) {
      lines.push('| Member | Agency | Attended | Arrived | Left |', '| --- | --- | --- | --- | --- |');
      for (const a of attendance) {
        const member = members.get(a.member.id);
        const agency = member ? agencies.get(member.agency.id) : undefined;
        lines.push(
          `| ${name(a.member.id)} | ${inline(agency?.name ?? '')} | ${a.mode === 'REMOTE' ? 'remote' : 'in person'} | ${time.format(a.arrivedAt)} | ${a.leftAt ? time.format(a.leftAt) : ''} |`,
        );
      }
    } else lines.push('No attendance was recorded.');
    lines.push('', '## Agenda', '');
    if (!agenda.length) lines.push('The agenda was empty.');
    agenda.forEach((item, index) => {
      const details = [
        item.presenter ? `presented by ${name(item.presenter.id)}` : '',
        item.caseSummary ? `case ${inline(cases.get(item.caseSummary.id) ?? '?')}` : '',
        item.timeBoxMinutes ? `${item.timeBoxMinutes} min` : '',
      ].filter(Boolean);
      lines.push(`### ${index + 1}. ${inline(item.title)}`, '');
      if (details.length) lines.push(`_${details.join('; ')}_`, '');
      const itemNotes = notes.filter((n) => n.agendaItem.id === item.id);
      const itemDecisions = decisions.filter((d) => d.agendaItem.id === item.id);
      if (itemNotes.length) {
        lines.push(
          'Notes:',
          '',
          ...itemNotes.map(
            (n) =>
              `- ${time.format(n.createdAt)} ${name(n.author.id)}: ${inline(n.text)}${n.correctedAt ? ` _(corrected ${time.format(n.correctedAt)})_` : ''}`,
          ),
          '',
        );
      }
      if (itemDecisions.length) {
        lines.push(
          'Decisions:',
          '',
          ...itemDecisions.map(
            (d) => `- ${inline(d.text)}${caseRef(d.caseSummary)}${d.reviewOn ? ` _(review on ${d.reviewOn})_` : ''}`,
          ),
          '',
        );
      }
      if (!itemNotes.length && !itemDecisions.length) lines.push('No notes or decisions.', '');
    });
    lines.push('## Action items created in this meeting', '');
    if (actionItems.length) {
      lines.push('| Action item | Assigned to | Due | Priority | Status |', '| --- | --- | --- | --- | --- |');
      for (const item of actionItems) {
        const assignee = item.assigneeMember
          ? name(item.assigneeMember.id)
          : inline(agencies.get(item.assigneeAgency!.id)?.name ?? '');
        lines.push(
          `| ${inline(item.title)}${caseRef(item.caseSummary)} | ${assignee} | ${item.dueOn} | ${item.priority} | ${item.status} |`,
        );
      }
    } else lines.push('None.');
    lines.push('');
    await this.audit.recordNow({
      action: 'minutes.exported',
      actorId: actor.memberId,
      taskForceId: taskForce.id,
      subjectType: 'Meeting',
      subjectId: meeting.id,
      ip: actor.ip,
    });
    const day = meeting.startsAt.toISOString().slice(0, 10);
    return { filename: `minutes-${taskForce.code.toLowerCase()}-${day}.md`, markdown: lines.join('\n') };
  }
}
