import type { Request } from 'express';

/** The feed URL as the client reached us (proxy headers count when TRUST_PROXY is set). */
export function calendarUrl(req: Request, token: string): string {
  return `${req.protocol}://${req.get('host')}/calendar/${token}.ics`;
}
