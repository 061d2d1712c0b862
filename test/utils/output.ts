import type { ChildProcess } from 'node:child_process';

/**
 * Everything child processes print, kept for the test to read: one capture can follow a server
 * across restarts (attach each new process). stdout and stderr are also kept apart, for the tests
 * that check which stream a line went to.
 */
export class CapturedOutput {
  private combined = '';
  private out = '';
  private err = '';

  /** Starts recording `child`; `onChunk` sees the whole output so far after every chunk. */
  attach(child: ChildProcess, onChunk?: (all: string) => void): this {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.out += chunk;
      this.combined += chunk;
      onChunk?.(this.combined);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.err += chunk;
      this.combined += chunk;
      onChunk?.(this.combined);
    });
    return this;
  }

  /** Both streams, interleaved as they arrived. */
  all(): string {
    return this.combined;
  }

  stdout(): string {
    return this.out;
  }

  stderr(): string {
    return this.err;
  }
}

/** The JSON log lines (pino) in `text`, parsed; plain-text lines such as the start-up banner are skipped. */
export function jsonLogLines(text: string): Record<string, any>[] {
  const lines: Record<string, any>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, any>);
    } catch {
      // a line cut by the capture (the process still writing) or not JSON after all
    }
  }
  return lines;
}
