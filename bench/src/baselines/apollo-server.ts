/**
 * Baseline: a bare Apollo Server 5 (express 5 integration) answering the same meeting query, the same
 * case-summary query and the same minute-note mutation from the same PostgreSQL database with
 * hand-written SQL: the JWT is verified (HS256, same secret) and the session checked in one statement;
 * the whole meeting tree is one statement (json_agg); a case summary is one statement (with the
 * reader's role and agency kind), the hub's section policy applied from a copy of its table, and one
 * INSERT of the audit rows for the restricted sections read; the mutation is one transaction that
 * writes the note, bumps the task force's cursor and writes the outbox row unpublished, then, after the
 * commit, the same relay work as the hub's (SELECT the unpublished rows, UPDATE them published; no
 * bus). No ORM, no DataLoader, no validation pipes, no screening, no rate limits, no live layer.
 */
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { GraphQLError } from 'graphql';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const secret = process.env.JWT_SECRET ?? '';

const typeDefs = /* GraphQL */ `
  type Member {
    id: ID!
    displayName: String!
  }
  type Agency {
    id: ID!
    name: String!
  }
  type AgendaItem {
    id: ID!
    position: Int!
    title: String!
  }
  type Attendance {
    id: ID!
    mode: String!
    arrivedAt: String!
    leftAt: String
    member: Member!
  }
  type Decision {
    id: ID!
    text: String!
    createdAt: String!
  }
  type ActionItem {
    id: ID!
    title: String!
    status: String!
    dueOn: String!
    assigneeMember: Member
    assigneeAgency: Agency
  }
  type Meeting {
    id: ID!
    title: String!
    status: String!
    startsAt: String!
    endsAt: String!
    agenda: [AgendaItem!]!
    attendance: [Attendance!]!
    decisions: [Decision!]!
    actionItems: [ActionItem!]!
  }
  type MinuteNote {
    id: ID!
  }
  type CaseCounts {
    victims: Int!
    minors: Int!
    victimsInProceedings: Int!
    protectedWitnesses: Int!
  }
  type CaseSummary {
    id: ID!
    caseCode: String!
    stage: String!
    exploitationForms: [String!]!
    version: Int!
    updatedAt: String!
    counts: CaseCounts!
    overview: String
    investigation: String
    prosecution: String
    victimSupport: String
    readableSections: [String!]!
    updatedBy: Member!
  }
  input MinuteNoteInput {
    meetingId: ID!
    agendaItemId: ID!
    text: String!
  }
  type Query {
    meeting(id: ID!): Meeting
    caseSummary(id: ID!): CaseSummary
  }
  type Mutation {
    addMinuteNote(input: MinuteNoteInput!): MinuteNote!
  }
`;

interface Ctx {
  memberId: string;
}

/** A copy of the hub's section table (libs/access/src/access.table.ts), by agency kind: OVERVIEW INVESTIGATION PROSECUTION VICTIM_SUPPORT. */
type Cell = 'none' | 'read' | 'write';
const SECTIONS = ['OVERVIEW', 'INVESTIGATION', 'PROSECUTION', 'VICTIM_SUPPORT'] as const;
const COLUMNS = ['overview', 'investigation', 'prosecution', 'victim_support'] as const;
const FIELDS = ['overview', 'investigation', 'prosecution', 'victimSupport'] as const;
const [N, R, W] = ['none', 'read', 'write'] as const;
const SECTION_ACCESS: Record<string, Cell[]> = {
  POLICE: [W, W, R, N],
  ORGANISED_CRIME_PROSECUTION: [W, W, W, R],
  PROSECUTION: [W, R, W, R],
  COURT: [R, N, R, N],
  BORDER_POLICE: [W, W, N, N],
  LABOUR_INSPECTION: [W, R, N, N],
  SOCIAL_SERVICES: [W, N, N, W],
  VICTIM_SUPPORT_NGO: [W, N, N, W],
  NATIONAL_AGENCY: [W, N, R, W],
  INTERNATIONAL_ORGANISATION: [R, N, N, R],
  OTHER: [R, N, N, N],
};
/** Reading a section some agency kind may not read is audited (as the hub derives it from the table). */
const RESTRICTED = SECTIONS.map((_s, i) => Object.values(SECTION_ACCESS).some((row) => row[i] === 'none'));

const CASE_SQL = `
select cs.id, cs.case_code as "caseCode", cs.stage, cs.exploitation_forms as "exploitationForms", cs.version,
  cs.updated_at as "updatedAt", cs.task_force_id as "taskForceId",
  json_build_object('victims', cs.victims, 'minors', cs.minors, 'victimsInProceedings', cs.victims_in_proceedings,
    'protectedWitnesses', cs.protected_witnesses) as counts,
  cs.overview, cs.investigation, cs.prosecution, cs.victim_support,
  json_build_object('id', ub.id, 'displayName', ub.display_name) as "updatedBy",
  ms.role, ag.kind
from case_summary cs
join membership ms on ms.task_force_id = cs.task_force_id and ms.member_id = $2
join member me on me.id = $2
join agency ag on ag.id = me.agency_id
join member ub on ub.id = cs.updated_by_id
where cs.id = $1`;

/** Same shape as the hub's relay round: the unpublished rows, oldest first, then marked published. */
let relaying: Promise<void> | null = null;
let relayAgain = false;
function relay(): void {
  if (relaying) {
    relayAgain = true;
    return;
  }
  relaying = (async () => {
    do {
      relayAgain = false;
      const { rows } = await pool.query<{ id: string }>(
        'select * from domain_event where published_at is null order by id limit 500',
      );
      if (rows.length)
        await pool.query('update domain_event set published_at = now() where id = any($1)', [rows.map((x) => x.id)]);
    } while (relayAgain);
  })()
    .catch((error) => console.error(`relay: ${(error as Error).message}`))
    .finally(() => (relaying = null));
}

function verify(token: string): { sub: string; sid: string } {
  const [h, p, s] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s ?? '', 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new GraphQLError('bad token', { extensions: { code: 'UNAUTHENTICATED' } });
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
    throw new GraphQLError('expired', { extensions: { code: 'UNAUTHENTICATED' } });
  return claims;
}

const MEETING_SQL = `
select m.id, m.title, m.status, m.starts_at as "startsAt", m.ends_at as "endsAt",
  (select coalesce(json_agg(json_build_object('id', a.id, 'position', a.position, 'title', a.title) order by a.position), '[]')
     from agenda_item a where a.meeting_id = m.id) as agenda,
  (select coalesce(json_agg(json_build_object('id', t.id, 'mode', t.mode, 'arrivedAt', t.arrived_at, 'leftAt', t.left_at,
            'member', json_build_object('id', mb.id, 'displayName', mb.display_name)) order by t.arrived_at), '[]')
     from attendance t join member mb on mb.id = t.member_id where t.meeting_id = m.id) as attendance,
  (select coalesce(json_agg(json_build_object('id', d.id, 'text', d.text, 'createdAt', d.created_at) order by d.created_at), '[]')
     from decision d where d.meeting_id = m.id) as decisions,
  (select coalesce(json_agg(json_build_object('id', ai.id, 'title', ai.title, 'status', ai.status, 'dueOn', ai.due_on,
            'assigneeMember', case when am.id is null then null else json_build_object('id', am.id, 'displayName', am.display_name) end,
            'assigneeAgency', case when ag.id is null then null else json_build_object('id', ag.id, 'name', ag.name) end) order by ai.due_on, ai.id), '[]')
     from action_item ai left join member am on am.id = ai.assignee_member_id left join agency ag on ag.id = ai.assignee_agency_id
     where ai.meeting_id = m.id) as "actionItems"
from meeting m
join membership ms on ms.task_force_id = m.task_force_id and ms.member_id = $2
where m.id = $1`;

const resolvers = {
  Query: {
    async meeting(_: unknown, { id }: { id: string }, ctx: Ctx) {
      const { rows } = await pool.query(MEETING_SQL, [id, ctx.memberId]);
      if (!rows.length) throw new GraphQLError('not found', { extensions: { code: 'NOT_FOUND' } });
      const m = rows[0];
      return { ...m, startsAt: m.startsAt.toISOString(), endsAt: m.endsAt.toISOString() };
    },
    async caseSummary(_: unknown, { id }: { id: string }, ctx: Ctx) {
      const { rows } = await pool.query(CASE_SQL, [id, ctx.memberId]);
      if (!rows.length) throw new GraphQLError('not found', { extensions: { code: 'NOT_FOUND' } });
      const c = rows[0];
      const access = SECTION_ACCESS[c.kind].map((cell) => (c.role === 'OBSERVER' && cell === 'write' ? 'read' : cell));
      const readable = SECTIONS.map((_s, i) => access[i] !== 'none');
      const audited = SECTIONS.filter((_s, i) => readable[i] && RESTRICTED[i]);
      if (audited.length)
        await pool.query(
          `insert into audit_record (at, action, actor_id, task_force_id, subject_type, subject_id, ip, details)
           select now(), 'caseSummary.sectionRead', $1, $2, 'CaseSummary', $3, null, json_build_object('section', s, 'via', 'summary')
           from unnest($4::text[]) as s`,
          [ctx.memberId, c.taskForceId, c.id, audited],
        );
      const sections = Object.fromEntries(FIELDS.map((f, i) => [f, readable[i] ? c[COLUMNS[i]] : null]));
      return { ...c, ...sections, readableSections: SECTIONS.filter((_s, i) => readable[i]) };
    },
  },
  CaseSummary: {
    updatedAt: (c: { updatedAt: Date }) => c.updatedAt.toISOString(),
  },
  Mutation: {
    async addMinuteNote(
      _: unknown,
      { input }: { input: { meetingId: string; agendaItemId: string; text: string } },
      ctx: Ctx,
    ) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query(
          `select m.task_force_id from meeting m
             join membership ms on ms.task_force_id = m.task_force_id and ms.member_id = $2 and ms.role in ('COORDINATOR', 'MEMBER')
             join agenda_item a on a.id = $3 and a.meeting_id = m.id
           where m.id = $1 and m.status in ('LIVE', 'ENDED')`,
          [input.meetingId, ctx.memberId, input.agendaItemId],
        );
        if (!rows.length) throw new GraphQLError('not found', { extensions: { code: 'NOT_FOUND' } });
        const taskForceId = rows[0].task_force_id;
        const note = await client.query(
          `insert into minute_note (id, meeting_id, agenda_item_id, author_id, text, created_at) values (gen_random_uuid(), $1, $2, $3, $4, now()) returning id`,
          [input.meetingId, input.agendaItemId, ctx.memberId, input.text],
        );
        const noteId = note.rows[0].id;
        await client.query(
          'insert into event_cursor (task_force_id, last_cursor) values ($1, 0) on conflict (task_force_id) do nothing',
          [taskForceId],
        );
        const cursor = await client.query(
          'update event_cursor set last_cursor = last_cursor + 1 where task_force_id = $1 returning last_cursor',
          [taskForceId],
        );
        await client.query(
          `insert into domain_event (task_force_id, cursor, type, actor_id, meeting_id, at, data) values ($1, $2, 'meeting.noteAdded', $3, $4, now(), $5)`,
          [
            taskForceId,
            cursor.rows[0].last_cursor,
            ctx.memberId,
            input.meetingId,
            JSON.stringify({
              meetingId: input.meetingId,
              agendaItemId: input.agendaItemId,
              noteId,
              authorId: ctx.memberId,
              text: input.text,
            }),
          ],
        );
        await client.query('commit');
        relay();
        return { id: noteId };
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
  },
};

async function main(): Promise<void> {
  const app = express();
  const server = http.createServer(app);
  const apollo = new ApolloServer<Ctx>({ typeDefs, resolvers });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: '64kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        const claims = verify(token);
        const { rowCount } = await pool.query(
          'select 1 from auth_session s join member mb on mb.id = s.member_id where s.id = $1 and s.member_id = $2 and s.revoked_at is null and mb.disabled_at is null',
          [claims.sid, claims.sub],
        );
        if (!rowCount) throw new GraphQLError('session ended', { extensions: { code: 'UNAUTHENTICATED' } });
        return { memberId: claims.sub };
      },
    }),
  );
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`BASELINE READY http://127.0.0.1:${port}`);
  });
  process.on('SIGTERM', () => {
    void apollo.stop().finally(() => pool.end().finally(() => process.exit(0)));
  });
}

void main();
