/**
 * CPU time of a server process and of the PostgreSQL backends serving it, read from /proc (Linux):
 * utime + stime of /proc/<pid>/stat, in clock ticks (1/CLK_TCK s, 10 ms here). A server's backends are
 * found through its own TCP connections: the local ports of its sockets to :5432 (its fds' socket
 * inodes matched in /proc/<pid>/net/tcp{,6}) are the `client_port`s of pg_stat_activity rows.
 * PostgreSQL must run on this machine (it does for the bench: 127.0.0.1).
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Client } from 'pg';

const TICK_MS = 1000 / (Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100);
const PG_PORT_HEX = (Number(process.env.BENCH_PG_PORT ?? 5432) >>> 0).toString(16).toUpperCase().padStart(4, '0');

/** CPU milliseconds (user + system) a process has used so far; NaN when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** Local ports of `pid`'s TCP connections to the PostgreSQL port. */
function postgresClientPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      if (cols[2].split(':')[1] !== PG_PORT_HEX) continue;
      ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

export interface CpuSnapshot {
  server: number;
  /** CPU ms so far of each backend serving the server, by backend pid. */
  backends: Map<number, number>;
}

export interface CpuDelta {
  serverMs: number;
  postgresMs: number;
  backends: number;
}

/** Snapshots of one server's CPU and its PostgreSQL backends' CPU. */
export class CpuMeter {
  private constructor(
    private readonly pid: number,
    private readonly pg: Client,
  ) {}

  static async open(pid: number, adminUrl: string): Promise<CpuMeter> {
    const pg = new Client({ connectionString: adminUrl });
    await pg.connect();
    return new CpuMeter(pid, pg);
  }

  async snapshot(): Promise<CpuSnapshot> {
    const ports = postgresClientPorts(this.pid);
    const { rows } = await this.pg.query<{ pid: number }>(
      'select pid from pg_stat_activity where client_port = any($1::int[])',
      [ports],
    );
    return { server: cpuMs(this.pid), backends: new Map(rows.map((r) => [r.pid, cpuMs(r.pid)])) };
  }

  /**
   * CPU used between two snapshots. A backend that appeared in between counts from zero (all its CPU
   * was spent since it started); one that ended in between is lost (pools keep theirs under load).
   */
  static delta(before: CpuSnapshot, after: CpuSnapshot): CpuDelta {
    let postgresMs = 0;
    for (const [pid, ms] of after.backends) {
      const was = before.backends.get(pid) ?? 0;
      if (Number.isFinite(ms) && Number.isFinite(was)) postgresMs += ms - was;
    }
    return { serverMs: after.server - before.server, postgresMs, backends: after.backends.size };
  }

  close(): Promise<void> {
    return this.pg.end();
  }
}
