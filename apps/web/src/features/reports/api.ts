import { ApiError, operation } from '../../api/graphql';
import { session } from '../../api/session';

export interface ReportPeriod {
  key: string;
  kind: string;
  from: string;
  to: string;
}

export interface ReportTable {
  indicator: string;
  version: number;
  unit: 'count' | 'ratio' | 'days';
  breakdown: string;
  rows: { key: string; values: (number | null)[] }[];
}

export interface TaskForceReport {
  taskForceCode: string;
  taskForceName: string;
  period: ReportPeriod;
  periods: ReportPeriod[];
  tables: ReportTable[];
}

export interface NationalTable {
  indicator: string;
  version: number;
  columns: string[];
  rows: { label: string; values: (number | null)[] }[];
}

export interface NationalReport {
  period: ReportPeriod;
  previousPeriod: ReportPeriod | null;
  taskForces: string[];
  tables: NationalTable[];
}

const PERIOD = 'key kind from to';

export const TaskForceReportQuery = operation<
  { taskForceReport: TaskForceReport },
  { taskForceId: string; period: string }
>(
  `query TaskForceReport($taskForceId: ID!, $period: String!) { taskForceReport(taskForceId: $taskForceId, period: $period) {
    taskForceCode taskForceName period { ${PERIOD} } periods { ${PERIOD} }
    tables { indicator version unit breakdown rows { key values } } } }`,
);

export const NationalReportQuery = operation<{ nationalReport: NationalReport }, { period: string }>(
  `query NationalReport($period: String!) { nationalReport(period: $period) {
    period { ${PERIOD} } previousPeriod { ${PERIOD} } taskForces
    tables { indicator version columns rows { label values } } } }`,
);

/**
 * The report files need the Bearer header, so they are fetched and saved from a blob. The PDF is
 * written in the client's language (`lang`).
 */
export async function downloadReport(path: string, period: string, fallback: string, lang: string): Promise<void> {
  const token = await session.freshToken();
  let response: Response;
  try {
    response = await fetch(`${path}?period=${encodeURIComponent(period)}&lang=${encodeURIComponent(lang)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch {
    throw new ApiError('The hub cannot be reached.', 'NETWORK_ERROR');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
    throw new ApiError(body?.message ?? `The hub answered ${response.status}.`, body?.code ?? 'INTERNAL_SERVER_ERROR');
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The period a screen opens on: the last quarter that ended. */
export function lastQuarter(today = new Date()): string {
  const y = today.getFullYear();
  const q = Math.floor(today.getMonth() / 3) + 1;
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}
