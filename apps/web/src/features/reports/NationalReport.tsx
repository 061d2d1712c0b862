import { useState } from 'react';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { lastQuarter, NationalReportQuery } from './api';
import { indicatorName } from './labels';
import { ChartWithTable } from './ReportChart';
import { PeriodPicker } from './PeriodPicker';
import { Downloads } from './Reports';

/** The national programme role's screen: every task force side by side and in total, small counts suppressed. */
export function NationalReportPage() {
  const { t } = useI18n();
  const [period, setPeriod] = useState(lastQuarter());
  const report = useQuery(NationalReportQuery, { period });
  return (
    <section className="reports">
      <h1>{t('report.nationalTitle')}</h1>
      <p className="muted">{t('report.nationalIntro')}</p>
      <PeriodPicker value={period} onChange={setPeriod} quartersOnly />
      <Downloads formats={['csv', 'xlsx', 'pdf']} path="/reports/national/report" period={period} />
      <p className="muted">{t('report.suppressedNote')}</p>
      <Async state={report}>
        {({ nationalReport }) => (
          <>
            {nationalReport.previousPeriod && (
              <p>{t('report.previous', { period: nationalReport.previousPeriod.key })}</p>
            )}
            <div className="report-grid">
              {nationalReport.tables.map((table) => (
                <ChartWithTable
                  key={table.indicator}
                  testId={`national-${table.indicator}`}
                  title={indicatorName(t, table.indicator)}
                  categoryHeading={t('report.taskForce')}
                  categories={table.rows.map((r) => r.label)}
                  series={table.columns.map((column, c) => ({
                    key: column,
                    values: table.rows.map((r) => r.values[c]),
                  }))}
                  nullText={t('report.suppressed')}
                />
              ))}
            </div>
          </>
        )}
      </Async>
    </section>
  );
}
