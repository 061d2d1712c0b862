/**
 * The programme's indicators as versioned definitions. A report names the version it was computed
 * with; changing what an indicator counts means a new version (and a line in docs/reports.md), so a
 * donor comparing two quarters knows whether the figures mean the same thing.
 */

export type IndicatorUnit = 'count' | 'ratio' | 'days';

/** What a table's rows are: one row, or one per agency kind, case stage, or stage transition. */
export type Breakdown = 'none' | 'agencyKind' | 'stage' | 'transition';

export interface IndicatorDefinition {
  id: IndicatorId;
  version: number;
  name: string;
  unit: IndicatorUnit;
  breakdown: Breakdown;
  /** The formula, as a person reads it; the SQL in reports.queries.ts implements exactly this. */
  formula: string;
  /** A count whose rows add up to the whole: the national roll-up shows it with totals. */
  additive: boolean;
  /** Part of the national roll-up (counts only: a mean or a rate over a few cases describes them). */
  national: boolean;
  /**
   * The count it is a subset of, cell by cell (same task force, same breakdown key, or `ALL` when the
   * whole has no breakdown): whole − part counts something too, so the roll-up protects it as a cell.
   */
  within?: IndicatorId;
  /** The set version that added it: a snapshot taken under an older set has no count for it. */
  since?: number;
}

export type IndicatorId =
  | 'meetings.scheduled'
  | 'meetings.held'
  | 'meetings.heldRate'
  | 'attendance.meetingsWithAgencyKind'
  | 'attendance.rateByAgencyKind'
  | 'attendance.agenciesPerMeeting'
  | 'actionItems.created'
  | 'actionItems.closedOnTime'
  | 'actionItems.closedLate'
  | 'actionItems.overdue'
  | 'actionItems.medianDaysLate'
  | 'decisions.recorded'
  | 'decisions.followedUp'
  | 'cases.byStage'
  | 'cases.transitions'
  | 'cases.daysToStage'
  | 'victims.total'
  | 'victims.inProceedings'
  | 'victims.minors'
  | 'referrals.answeredInTime'
  | 'referrals.overridden'
  | 'consents.withdrawn'
  | 'hearings.checklistComplete';

const defs: IndicatorDefinition[] = [
  {
    id: 'meetings.scheduled',
    version: 1,
    name: 'Meetings scheduled',
    unit: 'count',
    breakdown: 'none',
    formula: 'Meetings whose start falls in the period, whatever became of them (held, cancelled, still planned).',
    additive: true,
    national: true,
  },
  {
    id: 'meetings.held',
    version: 1,
    name: 'Meetings held',
    unit: 'count',
    breakdown: 'none',
    formula: 'Meetings whose start falls in the period and that were run and ended (status ENDED).',
    additive: true,
    national: true,
    within: 'meetings.scheduled',
  },
  {
    id: 'meetings.heldRate',
    version: 1,
    name: 'Meetings held against scheduled',
    unit: 'ratio',
    breakdown: 'none',
    formula: 'meetings.held ÷ meetings.scheduled (empty when nothing was scheduled).',
    additive: false,
    national: false,
  },
  {
    id: 'attendance.meetingsWithAgencyKind',
    version: 1,
    name: 'Meetings attended, by agency kind',
    unit: 'count',
    breakdown: 'agencyKind',
    formula: 'Held meetings of the period at which at least one member of an agency of that kind was checked in.',
    additive: false,
    national: true,
    within: 'meetings.held',
  },
  {
    id: 'attendance.rateByAgencyKind',
    version: 1,
    name: 'Attendance rate, by agency kind',
    unit: 'ratio',
    breakdown: 'agencyKind',
    formula: 'attendance.meetingsWithAgencyKind ÷ meetings.held, for each agency kind with a member in the task force.',
    additive: false,
    national: false,
  },
  {
    id: 'attendance.agenciesPerMeeting',
    version: 1,
    name: 'Agencies present per meeting',
    unit: 'ratio',
    breakdown: 'none',
    formula: 'The mean, over held meetings of the period, of the number of distinct agencies checked in.',
    additive: false,
    national: false,
  },
  {
    id: 'actionItems.created',
    version: 1,
    name: 'Action items created',
    unit: 'count',
    breakdown: 'agencyKind',
    formula:
      "Action items created in the period, by the kind of the assignee's agency (the agency assigned, else the assigned member's; UNASSIGNED if neither).",
    additive: true,
    national: true,
  },
  {
    id: 'actionItems.closedOnTime',
    version: 1,
    name: 'Action items closed on time',
    unit: 'count',
    breakdown: 'agencyKind',
    formula: 'Action items completed (DONE) in the period before the end of their due day, by assignee agency kind.',
    additive: true,
    national: true,
  },
  {
    id: 'actionItems.closedLate',
    version: 1,
    name: 'Action items closed late',
    unit: 'count',
    breakdown: 'agencyKind',
    formula: 'Action items completed (DONE) in the period after the end of their due day, by assignee agency kind.',
    additive: true,
    national: true,
  },
  {
    id: 'actionItems.overdue',
    version: 1,
    name: 'Action items overdue at the end of the period',
    unit: 'count',
    breakdown: 'agencyKind',
    formula:
      'Action items created before the end of the period, due before its last day ended, not completed by then and not cancelled, by assignee agency kind.',
    additive: true,
    national: true,
  },
  {
    id: 'actionItems.medianDaysLate',
    version: 1,
    name: 'Median days late',
    unit: 'days',
    breakdown: 'agencyKind',
    formula:
      'Of the items closed late in the period: the median of whole days (rounded up) from the end of the due day to completion; ALL is every kind together.',
    additive: false,
    national: false,
  },
  {
    id: 'decisions.recorded',
    version: 1,
    name: 'Decisions recorded',
    unit: 'count',
    breakdown: 'none',
    formula: "Decisions recorded in the period in the task force's meetings.",
    additive: true,
    national: true,
  },
  {
    id: 'decisions.followedUp',
    version: 1,
    name: 'Decisions followed by a completed action item',
    unit: 'count',
    breakdown: 'none',
    formula:
      'Of decisions.recorded: those with at least one action item created from them and completed by the end of the period.',
    additive: true,
    national: true,
    within: 'decisions.recorded',
  },
  {
    id: 'cases.byStage',
    version: 1,
    name: 'Case summaries by stage',
    unit: 'count',
    breakdown: 'stage',
    formula:
      'Case summaries existing at the end of the period, by the stage their latest revision before then recorded.',
    additive: true,
    national: true,
  },
  {
    id: 'cases.transitions',
    version: 1,
    name: 'Transitions between stages',
    unit: 'count',
    breakdown: 'transition',
    formula: 'Revisions in the period that changed a case summary\'s stage, by "FROM→TO".',
    additive: true,
    national: true,
  },
  {
    id: 'cases.daysToStage',
    version: 1,
    name: 'Days from case creation to stage',
    unit: 'days',
    breakdown: 'stage',
    formula:
      'For case summaries that first reached a stage in the period: the mean days from their creation to that revision.',
    additive: false,
    national: false,
  },
  {
    id: 'victims.total',
    version: 1,
    name: 'Victims (from case counts)',
    unit: 'count',
    breakdown: 'stage',
    formula:
      'The sum of the victims count over case summaries at the end of the period (latest revision before then), by stage.',
    additive: true,
    national: true,
  },
  {
    id: 'victims.inProceedings',
    version: 1,
    name: 'Victims taking part in proceedings',
    unit: 'count',
    breakdown: 'stage',
    formula: 'The sum of the victims-in-proceedings count, as for victims.total.',
    additive: true,
    national: true,
    within: 'victims.total',
  },
  {
    id: 'victims.minors',
    version: 1,
    name: 'Minors among victims',
    unit: 'count',
    breakdown: 'stage',
    formula: 'The sum of the minors count, as for victims.total.',
    additive: true,
    national: true,
    within: 'victims.total',
  },
  {
    id: 'referrals.answeredInTime',
    version: 1,
    name: 'Referrals answered in time',
    unit: 'count',
    breakdown: 'none',
    formula:
      'Referrals whose respond-by deadline fell in the period and that the receiving agency answered (accepted or declined) by then.',
    additive: true,
    national: true,
    since: 2,
  },
  {
    id: 'referrals.overridden',
    version: 1,
    name: 'Referrals made without consent by a coordinator’s override',
    unit: 'count',
    breakdown: 'none',
    formula: 'Referrals requested in the period with no consent covering them, on a coordinator’s override.',
    additive: true,
    national: true,
    since: 2,
  },
  {
    id: 'consents.withdrawn',
    version: 1,
    name: 'Consents withdrawn',
    unit: 'count',
    breakdown: 'none',
    formula: 'Consents to share a case, recorded in the task force, that were withdrawn in the period.',
    additive: true,
    national: true,
    since: 2,
  },
  {
    id: 'hearings.checklistComplete',
    version: 1,
    name: 'Hearings with a complete readiness checklist',
    unit: 'count',
    breakdown: 'none',
    formula:
      'Hearings whose start falls in the period with every checklist item done or not needed, none of them changed after the hearing began.',
    additive: true,
    national: true,
    since: 2,
  },
];

export const INDICATORS: readonly IndicatorDefinition[] = defs;

export const INDICATOR = Object.fromEntries(defs.map((d) => [d.id, d])) as Record<IndicatorId, IndicatorDefinition>;

/**
 * The version of the whole set: bumped with any indicator's version and when indicators are added.
 * 1: the first nineteen (issue 17); 2: the four of referrals, consents and hearings (issue 18).
 */
export const INDICATORS_VERSION = 2;

/**
 * Every (part, whole) pair where the part's count is a subset of the whole's, with the chain followed
 * (meetings attended by an agency kind ⊂ held ⊂ scheduled), in the glossary's order.
 */
export const SUBSETS: readonly { part: IndicatorId; whole: IndicatorId }[] = defs.flatMap((d) => {
  const out: { part: IndicatorId; whole: IndicatorId }[] = [];
  for (let w = d.within; w; w = INDICATOR[w].within) out.push({ part: d.id, whole: w });
  return out;
});
