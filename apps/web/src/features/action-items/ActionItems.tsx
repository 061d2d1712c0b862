import { useSearchParams } from 'react-router-dom';
import { ActionItemsQuery } from '../../api/operations';
import type { ActionItemScope } from '../../api/types';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ActionItemCard, STATUSES, StatusBadge } from './controls';

const SCOPES: ActionItemScope[] = ['MINE', 'MY_AGENCY', 'TASK_FORCE'];

export function ActionItemsPage() {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const [params, setParams] = useSearchParams();
  const scope = (SCOPES.find((s) => s === params.get('scope')) ?? 'MINE') as ActionItemScope;
  const view = params.get('view') === 'board' ? 'board' : 'list';
  const items = useQuery(ActionItemsQuery, { taskForceId: taskForce.id, filter: { scope }, first: 200 }, (e) =>
    e.type.startsWith('actionItem.'),
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  return (
    <section>
      <h1>{t('nav.actions')}</h1>
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
      <Async state={items}>
        {({ actionItems }) =>
          actionItems.nodes.length === 0 ? (
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
          )
        }
      </Async>
    </section>
  );
}
