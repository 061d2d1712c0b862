import { Link } from 'react-router-dom';
import { CaseSummariesQuery } from '../../api/operations';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

export function CaseSummariesPage() {
  const { t, dateTime } = useI18n();
  const { taskForce, path } = useTaskForce();
  const list = useQuery(CaseSummariesQuery, { taskForceId: taskForce.id }, (e) => e.type.startsWith('caseSummary.'));
  return (
    <section>
      <h1>{t('case.list')}</h1>
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
