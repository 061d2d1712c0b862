import type { ClientToServerEvents, NotificationKind, NotificationSubject, ServerToClientEvents } from '@hub/contracts';
import { EVENT_FIELDS, type FieldKind, HUB_EVENT_TYPES, type HubEventType, payloadTypeName } from '@hub/events';

/**
 * The Socket.IO contract as an AsyncAPI 3 document: the handshake, what a client sends (each with its
 * acknowledgement) and what the gateway pushes. Domain events come from EVENT_FIELDS, which is checked
 * against the typed event map at compile time, so the document cannot describe an event the server
 * does not send; the notices are written out here, keyed by the contract's own types.
 */

type Schema = Record<string, unknown>;

const ref = (path: string) => ({ $ref: path });
const schemaRef = (name: string) => ref(`#/components/schemas/${name}`);
const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });

function fieldSchema(kind: FieldKind): Schema {
  if (typeof kind === 'object') return { type: 'array', items: objectSchema(kind.of) };
  if (kind === 'String[]') return { type: 'array', items: { type: 'string' } };
  const base: Schema = kind.startsWith('ID')
    ? { type: 'string', format: 'uuid' }
    : kind.startsWith('Int')
      ? { type: 'integer' }
      : kind === 'Boolean'
        ? { type: 'boolean' }
        : { type: 'string' };
  return kind.endsWith('?') ? nullable(base) : base;
}

function objectSchema(fields: Record<string, FieldKind>): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(fields),
    properties: Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, fieldSchema(kind)])),
  };
}

function envelopeSchema(type: HubEventType): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'taskForceId', 'cursor', 'at', 'actorId', 'data'],
    properties: {
      type: { const: type },
      taskForceId: { type: 'string', format: 'uuid' },
      cursor: { type: 'integer', minimum: 1, description: 'Gap-free and in commit order per task force.' },
      at: { type: 'string', format: 'date-time' },
      actorId: nullable({ type: 'string', format: 'uuid' }),
      data: {
        description:
          "The payload; null when withheld from the receiver's agency (the envelope keeps the stream gap-free).",
        oneOf: [schemaRef(payloadTypeName(type)), { type: 'null' }],
      },
      withheld: { const: true, description: 'Present when the content was withheld.' },
    },
  };
}

const ackError: Schema = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          examples: ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'RATE_LIMITED'],
        },
        message: { type: 'string', description: 'A sentence a person can act on.' },
        field: { type: 'string', description: 'The input at fault, for BAD_USER_INPUT.' },
      },
    },
  },
};

const target: Schema = {
  type: 'object',
  description: "A task force's room or a meeting's, never both.",
  oneOf: [
    { required: ['taskForceId'], properties: { taskForceId: { type: 'string', format: 'uuid' } } },
    { required: ['meetingId'], properties: { meetingId: { type: 'string', format: 'uuid' } } },
  ],
};

/** What a client sends, each answered by an acknowledgement (keyed by the contract, so none is forgotten). */
const CLIENT_EVENTS: Record<keyof ClientToServerEvents, { summary: string; payload: Schema; ack: Schema }> = {
  'room.join': {
    summary: 'Join a room; with `after`, every missed event is sent first, in order, then live ones.',
    payload: {
      allOf: [target, { type: 'object', properties: { after: { type: 'integer', minimum: 0 } } }],
    },
    ack: {
      oneOf: [
        {
          type: 'object',
          required: ['ok', 'cursor'],
          properties: { ok: { const: true }, cursor: { type: 'integer' } },
        },
        ackError,
      ],
    },
  },
  'room.leave': {
    summary: 'Leave a room.',
    payload: target,
    ack: { oneOf: [{ type: 'object', required: ['ok'], properties: { ok: { const: true } } }, ackError] },
  },
  'presence.get': {
    summary: "Who is connected to a room, with each member's number of connections.",
    payload: target,
    ack: {
      oneOf: [
        {
          type: 'object',
          required: ['ok', 'members'],
          properties: {
            ok: { const: true },
            members: {
              type: 'array',
              items: {
                type: 'object',
                required: ['memberId', 'connections'],
                properties: { memberId: { type: 'string', format: 'uuid' }, connections: { type: 'integer' } },
              },
            },
          },
        },
        ackError,
      ],
    },
  },
};

type Notice = Exclude<keyof ServerToClientEvents, HubEventType>;

// Records, so that a kind or subject added to the contract fails the type check here until it is described.
const NOTIFICATION_KINDS: Record<NotificationKind, true> = {
  ASSIGNED: true,
  UNCLAIMED: true,
  DUE_SOON: true,
  DUE_TODAY: true,
  OVERDUE: true,
  OVERDUE_ESCALATED: true,
  MEETING_SCHEDULED: true,
  MEETING_CHANGED: true,
  MEETING_CANCELLED: true,
  MEETING_STARTING: true,
  DECISION_REVIEW: true,
  MEMBERSHIP_CHANGED: true,
  REFERRAL_UNANSWERED: true,
  HEARING_NOT_READY: true,
  WEBHOOK_DISABLED: true,
};
const NOTIFICATION_SUBJECTS: Record<NotificationSubject, true> = {
  actionItem: true,
  meeting: true,
  decision: true,
  taskForce: true,
  referral: true,
  hearing: true,
  webhook: true,
};

/** The gateway's own notices, beside the domain events. */
const NOTICES: Record<Notice, { summary: string; payload: Schema }> = {
  'presence.changed': {
    summary:
      "A room's presence changes, batched per room and instance: a quiet room's first change at once, then at most one message per interval of 10 ms per socket in the room (at least 250 ms, at most 30 s).",
    payload: {
      type: 'object',
      required: ['taskForceId', 'meetingId', 'changes'],
      properties: {
        taskForceId: { type: 'string', format: 'uuid' },
        meetingId: nullable({ type: 'string', format: 'uuid' }),
        changes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['memberId', 'online'],
            properties: { memberId: { type: 'string', format: 'uuid' }, online: { type: 'boolean' } },
          },
        },
      },
    },
  },
  'room.left': {
    summary: 'The member lost access to a room (their membership was removed): the server has left it for them.',
    payload: {
      type: 'object',
      required: ['taskForceId', 'meetingId', 'code', 'message'],
      properties: {
        taskForceId: { type: 'string', format: 'uuid' },
        meetingId: nullable({ type: 'string', format: 'uuid' }),
        code: { type: 'string' },
        message: { type: 'string' },
      },
    },
  },
  'session.ended': {
    summary: 'Sent just before the server disconnects: the session or key was revoked, disabled or expired.',
    payload: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
  'notification.created': {
    summary:
      "A new entry in the member's inbox, on their own room: ids and kinds only, never free text. Catch up with the notifications query.",
    payload: {
      type: 'object',
      required: ['type', 'taskForceId', 'cursor', 'at', 'actorId', 'data'],
      properties: {
        type: { const: 'notification.created' },
        taskForceId: { type: 'string', format: 'uuid' },
        cursor: { type: 'integer', description: 'The inbox position: increasing, unique, not gap-free.' },
        at: { type: 'string', format: 'date-time' },
        actorId: { type: 'null' },
        data: {
          type: 'object',
          required: ['id', 'memberId', 'taskForceId', 'kind', 'subjectType', 'subjectId', 'urgent', 'createdAt'],
          properties: {
            id: { type: 'integer' },
            memberId: { type: 'string', format: 'uuid' },
            taskForceId: { type: 'string', format: 'uuid' },
            kind: { enum: Object.keys(NOTIFICATION_KINDS) },
            subjectType: { enum: Object.keys(NOTIFICATION_SUBJECTS) },
            subjectId: { type: 'string' },
            urgent: { type: 'boolean' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  },
  'server.shutdown': {
    summary: 'The instance is shutting down: reconnect (to another instance) with the last cursor.',
    payload: {
      type: 'object',
      required: ['reconnect', 'message'],
      properties: { reconnect: { type: 'boolean' }, message: { type: 'string' } },
    },
  },
};

/** Message and operation ids: `room.join` → `roomJoin`. */
const idOf = (name: string) => name.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());

export function asyncApiDocument(): Record<string, unknown> {
  const channel = ref('#/channels/hub');
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};

  for (const [name, event] of Object.entries(CLIENT_EVENTS)) {
    const id = idOf(name);
    messages[id] = { name, summary: event.summary, payload: event.payload };
    messages[`${id}Ack`] = { name: `${name} acknowledgement`, payload: event.ack };
    operations[id] = {
      action: 'receive',
      channel,
      summary: event.summary,
      messages: [ref(`#/channels/hub/messages/${id}`)],
      reply: { channel, messages: [ref(`#/channels/hub/messages/${id}Ack`)] },
    };
  }
  for (const type of HUB_EVENT_TYPES) {
    const id = idOf(type);
    schemas[payloadTypeName(type)] = objectSchema(EVENT_FIELDS[type] as Record<string, FieldKind>);
    messages[id] = {
      name: type,
      summary: `The ${type} domain event, emitted under its type.`,
      payload: envelopeSchema(type),
    };
    operations[id] = { action: 'send', channel, messages: [ref(`#/channels/hub/messages/${id}`)] };
  }
  for (const [name, notice] of Object.entries(NOTICES)) {
    const id = idOf(name);
    messages[id] = { name, summary: notice.summary, payload: notice.payload };
    operations[id] = {
      action: 'send',
      channel,
      summary: notice.summary,
      messages: [ref(`#/channels/hub/messages/${id}`)],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Task Force Hub: Socket.IO live rooms',
      version: '1.0.0',
      description:
        'Generated from the typed event map (`cli asyncapi docs/asyncapi.yaml`; a test fails when it is stale). ' +
        'Socket.IO 4 at the default path. Send `auth: { token }` in the handshake: an access token or a ' +
        "service account's API key with the SUBSCRIBE scope; a refusal is a connect_error with `data: { code, message }`. " +
        'Every pushed event carries the envelope `{ type, taskForceId, cursor, at, actorId, data }`, redacted for the ' +
        "receiver's agency; `cursor` is gap-free per task force, so `room.join` with `after` catches up with no gap.",
    },
    defaultContentType: 'application/json',
    servers: {
      hub: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io',
        description: 'The embedded hub (a scaled deployment runs several gateways behind a load balancer).',
        security: [ref('#/components/securitySchemes/handshakeToken')],
      },
    },
    channels: {
      hub: {
        address: '/socket.io',
        title: 'One Socket.IO connection',
        description: 'Rooms are joined with room.join; events of every joined room arrive on the same connection.',
        messages: Object.fromEntries(Object.keys(messages).map((id) => [id, ref(`#/components/messages/${id}`)])),
      },
    },
    operations,
    components: {
      securitySchemes: {
        handshakeToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Sent in the Socket.IO handshake as `auth: { token }` (not a header): an access token from login, or an API key (tfh_…).',
        },
      },
      messages,
      schemas,
    },
  };
}

export const ASYNCAPI_HEADER =
  '# The Socket.IO contract in AsyncAPI 3, generated from the typed event map by\n' +
  '# `npm run build && node dist/apps/cli/src/main.js asyncapi docs/asyncapi.yaml`.\n' +
  '# Do not edit: change the event map, regenerate, and commit the result (a test fails when this file is stale).\n';

/** YAML comes from js-yaml, a development dependency: the callers (the cli command, the test) pass its `dump`. */
export type YamlDump = (value: unknown, options: { lineWidth: number; noRefs: boolean }) => string;

export function printAsyncApi(dump: YamlDump): string {
  return ASYNCAPI_HEADER + dump(asyncApiDocument(), { lineWidth: 120, noRefs: true });
}
