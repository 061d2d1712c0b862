import { Link, useSearchParams } from 'react-router-dom';
import type { ActionItemFilterInput, ActionItemPriority } from '../../api/generated';
import { ActionItemsQuery, MeetingPlanningQuery, MeetingsQuery } from '../../api/operations';
import type { ActionItemScope, ActionItemStatus, ActionItemSummary } from '../../api/types';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ActionItemCard, STATUSES, StatusBadge } from './controls';

const SCOPES: ActionItemScope[] = ['FOR_ME', 'MINE', 'MY_AGENCY', 'TASK_FORCE'];
const RANK: Record<ActionItemPriority, number> = { URGENT: 0, HIGH: 1, NORMAL: 2, LOW: 3 };

/** Most urgent first, then by due date; the list comes by due date from the hub. */
const byPriority = (a: ActionItemSummary, b: ActionItemSummary) =>
  RANK[a.priority] - RANK[b.priority] || a.dueOn.localeCompare(b.dueOn);

export function ActionItemsPage() {
  const { t } = useI18n();
  const { taskForce, path } = useTaskForce();
  const [params, setParams] = useSearchParams();
  const scope = (SCOPES.find((s) => s === params.get('scope')) ?? 'FOR_ME') as ActionItemScope;
  const view = params.get('view') === 'board' ? 'board' : 'list';
  const sort = params.get('sort') === 'priority' ? 'priority' : 'due';
  const filter: ActionItemFilterInput = { scope };
  const due = params.get('due');
  if (due === 'overdue') filter.overdue = true;
  if (due === 'week') filter.dueThisWeek = true;
  const status = params.get('status');
  if (status) filter.statuses = [status as ActionItemStatus];
  for (const [param, key] of [
    ['agency', 'assigneeAgencyId'],
    ['assignee', 'assigneeMemberId'],
    ['case', 'caseSummaryId'],
    ['meeting', 'meetingId'],
  ] as const) {
    const value = params.get(param);
    if (value) filter[key] = value;
  }
  const items = useQuery(ActionItemsQuery, { taskForceId: taskForce.id, filter, first: 200 }, (e) =>
    e.type.startsWith('actionItem.'),
  );
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id });
  const meetings = useQuery(MeetingsQuery, { taskForceId: taskForce.id, first: 100 });
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency])).values()];
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const select = (param: string, label: string, options: { value: string; label: string }[]) => (
    <label className="field">
      <span>{label}</span>
      <select name={`filter-${param}`} value={params.get(param) ?? ''} onChange={(e) => set(param, e.target.value)}>
        <option value="">{t('filter.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section>
      <header className="page-head">
        <h1>{t('nav.actions')}</h1>
        <Link className="button" to={path('/actions/new')}>
          {t('item.new')}
        </Link>
      </header>
      <div className="filters">
        <div role="radiogroup" aria-label={t('action.scope')} className="segmented">
          {SCOPES.map((s) => (
            <button key={s} type="button" role="radio" aria-checked={scope === s} onClick={() => set('scope', s)}>
              {t(`action.scope.${s}`)}
            </button>
          ))}
        </div>
        <div role="radiogroup" aria-label={t('action.view')} className="segmented">
          {(['list', 'board'] as const).map((v) => (
            <button key={v} type="button" role="radio" aria-checked={view === v} onClick={() => set('view', v)}>
              {t(`action.view.${v}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="filters row" data-testid="action-filters">
        {select('due', t('filter.due'), [
          { value: 'overdue', label: t('filter.overdue') },
          { value: 'week', label: t('filter.thisWeek') },
        ])}
        {select(
          'status',
          t('filter.status'),
          STATUSES.map((s) => ({ value: s, label: t(`action.status.${s}`) })),
        )}
        {select(
          'agency',
          t('filter.agency'),
          agencies.map((a) => ({ value: a.id, label: a.name })),
        )}
        {select(
          'assignee',
          t('filter.assignee'),
          taskForce.members.map(({ member }) => ({ value: member.id, label: member.displayName })),
        )}
        {select(
          'case',
          t('filter.case'),
          (planning.data?.caseSummaries ?? []).map((c) => ({ value: c.id, label: c.caseCode })),
        )}
        {select(
          'meeting',
          t('filter.meeting'),
          (meetings.data?.meetings.nodes ?? []).map((m) => ({ value: m.id, label: m.title })),
        )}
        <label className="field">
          <span>{t('filter.sort')}</span>
          <select
            name="sort"
            value={sort}
            onChange={(e) => set('sort', e.target.value === 'due' ? '' : e.target.value)}
          >
            <option value="due">{t('filter.sort.due')}</option>
            <option value="priority">{t('filter.sort.priority')}</option>
          </select>
        </label>
      </div>
      <Async state={items}>
        {({ actionItems: page }) => {
          const nodes = sort === 'priority' ? [...page.nodes].sort(byPriority) : page.nodes;
          const actionItems = { nodes };
          return actionItems.nodes.length === 0 ? (
            <p className="muted">{t('action.none')}</p>
          ) : view === 'list' ? (
            <div className="stack" data-testid="action-list">
              {actionItems.nodes.map((item) => (
                <ActionItemCard key={item.id} item={item} onChanged={items.reload} />
              ))}
            </div>
          ) : (
            <div className="board" data-testid="action-board">
              {STATUSES.map((status) => {
                const column = actionItems.nodes.filter((i) => i.status === status);
                return (
                  <section key={status} className="board-column" aria-label={t(`action.status.${status}`)}>
                    <h2>
                      <StatusBadge status={status} /> <span className="muted">{column.length}</span>
                    </h2>
                    {column.map((item) => (
                      <ActionItemCard key={item.id} item={item} onChanged={items.reload} />
                    ))}
                  </section>
                );
              })}
            </div>
          );
        }}
      </Async>
    </section>
  );
}
