import { useState } from 'react';
import { useTaskForce } from '../../app/task-force';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { downloadReport, lastQuarter, TaskForceReportQuery } from './api';
import { indicatorName } from './labels';
import { ChartWithTable } from './ReportChart';
import { PeriodPicker } from './PeriodPicker';

/** The task force's programme report: a period, its trend, a chart and a table per indicator, and the files. */
export function ReportsPage() {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const [period, setPeriod] = useState(lastQuarter());
  const report = useQuery(TaskForceReportQuery, { taskForceId: taskForce.id, period });
  return (
    <section className="reports">
      <h1>{t('report.title')}</h1>
      <p className="muted">{t('report.intro')}</p>
      <PeriodPicker value={period} onChange={setPeriod} />
      <Downloads
        formats={['csv', 'xlsx', 'pdf']}
        path={`/reports/task-forces/${encodeURIComponent(taskForce.id)}/report`}
        period={period}
      />
      <Async state={report}>
        {({ taskForceReport }) => (
          <div className="report-grid">
            {taskForceReport.tables.map((table) => {
              const name = indicatorName(t, table.indicator);
              return (
                <ChartWithTable
                  key={table.indicator}
                  testId={`report-${table.indicator}`}
                  title={`${name} (${t(`report.unit.${table.unit}`)}, ${t('report.version', { version: table.version })})`}
                  categoryHeading={t('report.periodKind')}
                  categories={taskForceReport.periods.map((p) => p.key)}
                  series={table.rows}
                />
              );
            })}
          </div>
        )}
      </Async>
    </section>
  );
}

export function Downloads({ formats, path, period }: { formats: string[]; path: string; period: string }) {
  const { t, locale } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="report-downloads" role="group" aria-label={t('report.downloads')}>
      {formats.map((format) => (
        <button
          key={format}
          type="button"
          className="button-secondary"
          data-testid={`download-${format}`}
          onClick={() => {
            setError(null);
            downloadReport(`${path}.${format}`, period, `report.${format}`, locale).catch((e: unknown) =>
              setError(t('report.downloadFailed', { message: e instanceof Error ? e.message : String(e) })),
            );
          }}
        >
          {t('report.download', { format: format.toUpperCase() })}
        </button>
      ))}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
