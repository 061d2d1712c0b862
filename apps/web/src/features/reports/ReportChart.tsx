import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n';
import { keyLabel } from './labels';

const COLOURS = [
  '#2f6f9f',
  '#d08c2f',
  '#4f8f4f',
  '#9f3f6f',
  '#6f5fa8',
  '#3f8f8f',
  '#8f6f3f',
  '#5f5f5f',
  '#af4f3f',
  '#3f5f9f',
  '#7f9f3f',
  '#9f7f9f',
];

export interface Series {
  key: string;
  values: (number | null)[];
}

/**
 * A bar chart of a table, drawn by recharts (bundled), with the same figures in a table right
 * beside it: the chart is for the eye, the table for screen readers and for reading exact values.
 */
export function ChartWithTable({
  title,
  categories,
  series,
  categoryHeading,
  testId,
  nullText = '–',
}: {
  title: string;
  /** The x axis: periods, or task forces. */
  categories: string[];
  series: Series[];
  categoryHeading: string;
  testId: string;
  /** What a missing value reads as: a dash (nothing to divide by), or the suppression mark. */
  nullText?: string;
}) {
  const { t } = useI18n();
  const data = categories.map((category, i) => ({
    category,
    ...Object.fromEntries(series.map((s) => [s.key, s.values[i] ?? 0])),
  }));
  return (
    <figure className="report-figure" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="report-pair">
        <div className="report-chart" aria-hidden="true" data-testid="chart">
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="category" fontSize={11} />
              <YAxis allowDecimals fontSize={11} width={36} />
              <Tooltip />
              {series.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
              {series.map((s, i) => (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={keyLabel(t, s.key)}
                  fill={COLOURS[i % COLOURS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="table-wrap report-table">
          <table>
            <caption className="visually-hidden">{t('report.tableOf', { name: title })}</caption>
            <thead>
              <tr>
                <th scope="col">{categoryHeading}</th>
                {series.map((s) => (
                  <th scope="col" key={s.key}>
                    {keyLabel(t, s.key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map((category, i) => (
                <tr key={category}>
                  <th scope="row">{keyLabel(t, category)}</th>
                  {series.map((s) => (
                    <td key={s.key}>{s.values[i] ?? nullText}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  );
}
