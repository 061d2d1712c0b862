import { readFileSync } from 'node:fs';

/**
 * What time it is, injected wherever "now" decides something (reminder steps, quiet hours), so that a
 * test can move it. Everything else keeps `new Date()`: rows stamped by the database or the ORM
 * are not about the calendar.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock a test moves by hand, in process. */
export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * For tests of built processes: the system time plus the milliseconds written in a file, read on each
 * call, so a test moves every instance's clock at once by rewriting one file. HUB_CLOCK_OFFSET_FILE
 * names it; config refuses it in production. A missing or empty file counts as no offset.
 */
export class OffsetFileClock extends Clock {
  constructor(private readonly file: string) {
    super();
  }

  now(): Date {
    let offset: number;
    try {
      offset = Number(readFileSync(this.file, 'utf8').trim() || '0');
    } catch {
      offset = 0;
    }
    return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
  }
}

export function clockFor(config: { clockOffsetFile?: string }): Clock {
  return config.clockOffsetFile ? new OffsetFileClock(config.clockOffsetFile) : new SystemClock();
}
