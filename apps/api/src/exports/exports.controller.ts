import { Controller, Get, Header, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { Public, badInput } from '@hub/core';
import { CalendarService, MinutesService } from '@hub/exports';
import type { Response } from 'express';
import { actorOf, HubRequest } from '../graphql/context';

/** Downloads: the same documents as GraphQL, as files a browser or calendar app can fetch. */
@Controller()
export class ExportsController {
  constructor(
    private readonly minutes: MinutesService,
    private readonly calendar: CalendarService,
  ) {}

  /** The minutes of a meeting, with an access token like any API call. */
  @Get('meetings/:id/minutes.md')
  async minutesDocument(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => badInput('id', 'id must be a meeting id (a UUID).') }))
    id: string,
    @Req() req: HubRequest,
    @Res() res: Response,
  ): Promise<void> {
    const document = await this.minutes.document(actorOf(req), id);
    res
      .status(200)
      .set({
        'content-type': 'text/markdown; charset=utf-8',
        'content-disposition': `attachment; filename="${document.filename}"`,
        'cache-control': 'no-store',
      })
      .send(document.markdown);
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
