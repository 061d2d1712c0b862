import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { Public, badInput } from '@hub/core';
import { CalendarService, type MinutesFormat, minutesLanguage, MinutesService } from '@hub/exports';
import type { Response } from 'express';
import { actorOf, HubRequest } from '../graphql/context';

const MEETING_ID = new ParseUUIDPipe({
  exceptionFactory: () => badInput('id', 'id must be a meeting id (a UUID).'),
});

/** Downloads: the same documents as GraphQL, as files a browser or calendar app can fetch. */
@Controller()
export class ExportsController {
  constructor(
    private readonly minutes: MinutesService,
    private readonly calendar: CalendarService,
  ) {}

  /** The minutes of a meeting as Markdown, with an access token like any API call; Romanian unless `?lang=en`. */
  @Get('meetings/:id/minutes.md')
  minutesMarkdown(
    @Param('id', MEETING_ID) id: string,
    @Query('lang') lang: unknown,
    @Req() req: HubRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.sendMinutes(req, res, id, lang, 'md');
  }

  /** The same minutes as a PDF (DejaVu embedded, so ș and ț print). */
  @Get('meetings/:id/minutes.pdf')
  minutesPdf(
    @Param('id', MEETING_ID) id: string,
    @Query('lang') lang: unknown,
    @Req() req: HubRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.sendMinutes(req, res, id, lang, 'pdf');
  }

  private async sendMinutes(
    req: HubRequest,
    res: Response,
    id: string,
    lang: unknown,
    format: MinutesFormat,
  ): Promise<void> {
    // A repeated ?lang= arrives as an array: refused like any other unknown language.
    const language = minutesLanguage(lang === undefined || typeof lang === 'string' ? lang : '?');
    const document = await this.minutes.file(actorOf(req), id, language, format);
    res
      .status(200)
      .set({
        'content-type': document.contentType,
        'content-disposition': `attachment; filename="${document.filename}"`,
        'content-language': language,
        'cache-control': 'no-store',
      })
      .send(document.body);
  }

  /** The member's calendar: public, because the secret in the URL is the credential. */
  @Public()
  @Get('calendar/:token.ics')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'no-store')
  feed(@Param('token') token: string): Promise<string> {
    return this.calendar.feed(token);
  }
}
