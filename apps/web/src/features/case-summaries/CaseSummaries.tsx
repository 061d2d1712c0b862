import { Link, useSearchParams } from 'react-router-dom';
import type { CaseStage } from '../../api/generated';
import { CaseSummaryListQuery } from '../../api/operations';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

export const STAGES: CaseStage[] = ['IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED'];

export function CaseSummariesPage() {
  const { t, dateTime } = useI18n();
  const { taskForce, path } = useTaskForce();
  const [params, setParams] = useSearchParams();
  const stage = (params.get('stage') as CaseStage | null) ?? undefined;
  const code = params.get('code')?.trim() || undefined;
  const list = useQuery(CaseSummaryListQuery, { taskForceId: taskForce.id, filter: { stage, codePrefix: code } }, (e) =>
    e.type.startsWith('caseSummary.'),
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <section>
      <h1>{t('case.list')}</h1>
      <div className="filters row" data-testid="case-filters">
        <label className="field">
          <span>{t('case.stage')}</span>
          <select name="stage" value={stage ?? ''} onChange={(e) => set('stage', e.target.value)}>
            <option value="">{t('filter.any')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`case.stage.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('case.searchCode')}</span>
          <input
            type="search"
            name="code"
            value={params.get('code') ?? ''}
            onChange={(e) => set('code', e.target.value)}
          />
        </label>
      </div>
      <Async state={list}>
        {({ caseSummaries }) =>
          caseSummaries.length === 0 ? (
            <p className="muted">{t('case.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('case.code')}</th>
                    <th scope="col">{t('case.stage')}</th>
                    <th scope="col">{t('case.version')}</th>
                    <th scope="col">{t('case.updated')}</th>
                  </tr>
                </thead>
                <tbody>
                  {caseSummaries.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link to={path(`/cases/${c.id}`)}>{c.caseCode}</Link>
                      </th>
                      <td>{t(`case.stage.${c.stage}`)}</td>
                      <td>{c.version}</td>
                      <td>{t('case.updatedBy', { at: dateTime(c.updatedAt), name: c.updatedBy.displayName })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}
