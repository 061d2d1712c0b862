/**
 * The words of the minutes document in each language it is issued in. English defines the keys; the
 * Romanian table must have exactly the same (the type checker refuses a missing or extra key).
 * `{name}` marks a value filled in when the document is written.
 */
export const MINUTES_EN = {
  title: 'Minutes: {title}',
  taskForce: 'Task force: {code}, {name}',
  held: 'Held: {day}, {from} to {to} ({zone})',
  heldSince: 'Held: {day}, from {from} ({zone}); not yet ended',
  notHeld: 'Scheduled: {day}, {from} to {to} ({zone}); not held: {status}',
  cancelReason: 'Reason for cancelling: {reason}',
  place: 'Place: {place}',
  call: 'Video call: {link}',
  chair: 'Chaired by: {name}, {agency}',
  attendance: 'Attendance',
  attendanceCounts: 'Present: {present}; absent: {absent}.',
  colAgency: 'Agency',
  colMember: 'Member',
  colAttendance: 'Attendance',
  colArrived: 'Arrived',
  colLeft: 'Left',
  inPerson: 'in person',
  remote: 'remote',
  absent: 'absent',
  noMembers: 'The task force has no members.',
  agenda: 'Agenda',
  agendaEmpty: 'The agenda was empty.',
  presentedBy: 'presented by {name}',
  caseRef: 'case {code}',
  corrected: 'corrected at {time}',
  reviewOn: 'to review on {date}',
  minutes: '{minutes} min',
  notes: 'Notes:',
  decisions: 'Decisions:',
  noNotes: 'No notes or decisions.',
  actionItems: 'Action items created in this meeting',
  colItem: 'Action item',
  colAssignee: 'Assigned to',
  colDue: 'Due',
  colPriority: 'Priority',
  colStatus: 'Status',
  none: 'None.',
  unknownMember: 'a former member',
  generated: 'Exported by {name}.',
  file: 'minutes',
  'status.SCHEDULED': 'scheduled',
  'status.LIVE': 'in progress',
  'status.ENDED': 'ended',
  'status.CANCELLED': 'cancelled',
  'priority.LOW': 'Low',
  'priority.NORMAL': 'Normal',
  'priority.HIGH': 'High',
  'priority.URGENT': 'Urgent',
  'actionStatus.OPEN': 'Open',
  'actionStatus.IN_PROGRESS': 'In progress',
  'actionStatus.BLOCKED': 'Blocked',
  'actionStatus.DONE': 'Done',
  'actionStatus.CANCELLED': 'Cancelled',
} as const;

export type MinutesKey = keyof typeof MINUTES_EN;

export const MINUTES_RO: Record<MinutesKey, string> = {
  title: 'Proces-verbal: {title}',
  taskForce: 'Grupul de lucru: {code}, {name}',
  held: 'Ținută: {day}, între {from} și {to} ({zone})',
  heldSince: 'Ținută: {day}, începând cu {from} ({zone}); încă în desfășurare',
  notHeld: 'Programată: {day}, între {from} și {to} ({zone}); nu a avut loc: {status}',
  cancelReason: 'Motivul anulării: {reason}',
  place: 'Locul: {place}',
  call: 'Apel video: {link}',
  chair: 'Președinte de ședință: {name}, {agency}',
  attendance: 'Prezență',
  attendanceCounts: 'Prezenți: {present}; absenți: {absent}.',
  colAgency: 'Instituția',
  colMember: 'Persoana',
  colAttendance: 'Prezență',
  colArrived: 'Sosit',
  colLeft: 'Plecat',
  inPerson: 'în sală',
  remote: 'de la distanță',
  absent: 'absent',
  noMembers: 'Grupul de lucru nu are membri.',
  agenda: 'Ordinea de zi',
  agendaEmpty: 'Ordinea de zi a fost goală.',
  presentedBy: 'prezintă {name}',
  caseRef: 'cazul {code}',
  corrected: 'corectată la {time}',
  reviewOn: 'de revizuit la {date}',
  minutes: '{minutes} min',
  notes: 'Note:',
  decisions: 'Decizii:',
  noNotes: 'Fără note sau decizii.',
  actionItems: 'Sarcini stabilite în ședință',
  colItem: 'Sarcina',
  colAssignee: 'Responsabil',
  colDue: 'Termen',
  colPriority: 'Prioritate',
  colStatus: 'Stare',
  none: 'Niciuna.',
  unknownMember: 'un fost membru',
  generated: 'Exportat de {name}.',
  file: 'proces-verbal',
  'status.SCHEDULED': 'programată',
  'status.LIVE': 'în desfășurare',
  'status.ENDED': 'încheiată',
  'status.CANCELLED': 'anulată',
  'priority.LOW': 'Scăzută',
  'priority.NORMAL': 'Normală',
  'priority.HIGH': 'Ridicată',
  'priority.URGENT': 'Urgentă',
  'actionStatus.OPEN': 'Deschisă',
  'actionStatus.IN_PROGRESS': 'În lucru',
  'actionStatus.BLOCKED': 'Blocată',
  'actionStatus.DONE': 'Finalizată',
  'actionStatus.CANCELLED': 'Anulată',
};

export type MinutesLanguage = 'ro' | 'en';
export const MINUTES_LANGUAGES: readonly MinutesLanguage[] = ['ro', 'en'];
const TABLES: Record<MinutesLanguage, Record<MinutesKey, string>> = { ro: MINUTES_RO, en: MINUTES_EN };
export const LANGUAGE_TAGS: Record<MinutesLanguage, string> = { ro: 'ro-RO', en: 'en-GB' };

export type MinutesWords = (key: MinutesKey, values?: Record<string, string | number>) => string;

export function minutesWords(language: MinutesLanguage): MinutesWords {
  const table = TABLES[language];
  return (key, values) =>
    table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}
