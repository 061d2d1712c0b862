import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { badInput } from '@hub/core';
import {
  type ExportFile,
  type ExportFormat,
  ReportExportsService,
  reportLanguageOf,
  ReportsService,
} from '@hub/reports';
import type { Response } from 'express';
import { actorOf, HubRequest } from '../graphql/context';

const FORMATS: ExportFormat[] = ['csv', 'xlsx', 'pdf'];

function formatOf(value: string, allowed: ExportFormat[] = FORMATS): ExportFormat {
  if (!(allowed as string[]).includes(value))
    throw badInput('format', `The file format must be one of ${allowed.join(', ')}.`);
  return value as ExportFormat;
}

/** The PDF's language: the web client sends its own; another caller's Accept-Language, else English. */
function languageOf(lang: unknown, req: HubRequest) {
  // A repeated ?lang= arrives as an array: refused like any other unknown language.
  return reportLanguageOf(lang === undefined || typeof lang === 'string' ? lang : '?', req.headers['accept-language']);
}

function send(res: Response, file: ExportFile, language?: string): void {
  res
    .status(200)
    .set({
      'content-type': file.contentType,
      ...(language ? { 'content-language': language } : {}),
      'content-disposition': `attachment; filename="${file.filename}"`,
      'cache-control': 'no-store',
    })
    .send(file.body);
}

/**
 * The reports as files (`?period=2026-Q3`), with an access token like any API call; each download is
 * audited. The access checks are the GraphQL queries' own: the same service methods answer both.
 */
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly files: ReportExportsService,
  ) {}

  @Get('task-forces/:id/report.:format')
  async taskForce(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => badInput('id', 'id must be a task force id (a UUID).') }))
    id: string,
    @Query('period') period: string | undefined,
    @Query('lang') lang: unknown,
    @Param('format') format: string,
    @Req() req: HubRequest,
    @Res() res: Response,
  ): Promise<void> {
    const actor = actorOf(req);
    const chosen = formatOf(format);
    const language = languageOf(lang, req);
    const report = await this.reports.taskForceReport(actor, id, period ?? '');
    const file = await this.files.taskForce(report, chosen, language);
    await this.reports.recordExport(actor, { taskForceId: id, period: report.period.key, format: chosen });
    send(res, file, chosen === 'pdf' ? language : undefined);
  }

  @Get('national/report.:format')
  async national(
    @Query('period') period: string | undefined,
    @Query('lang') lang: unknown,
    @Param('format') format: string,
    @Req() req: HubRequest,
    @Res() res: Response,
  ): Promise<void> {
    const actor = actorOf(req);
    const chosen = formatOf(format);
    const language = languageOf(lang, req);
    const report = await this.reports.nationalReport(actor, period ?? '');
    const file = await this.files.national(report, chosen, language);
    await this.reports.recordExport(actor, { period: report.period.key, format: chosen });
    send(res, file, chosen === 'pdf' ? language : undefined);
  }
}
