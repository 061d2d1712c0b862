import { createUnionType, Field, ID, Int, ObjectType, type ReturnTypeFunc } from '@nestjs/graphql';
import { EVENT_FIELDS, type FieldKind, HUB_EVENT_TYPES, type HubEventType, payloadTypeName } from '@hub/events';

/**
 * One GraphQL object type per event type, built from EVENT_FIELDS (itself checked against the typed
 * event map), gathered in the LiveEventPayload union: a typed client selects `... on
 * ActionItemUpdatedEvent { status changes }` and its generated types know every field.
 */
type Ctor = new () => object;

const scalar: Record<'ID' | 'String' | 'Int' | 'Boolean', ReturnTypeFunc> = {
  ID: () => ID,
  String: () => String,
  Int: () => Int,
  Boolean: () => Boolean,
};

// Element types by name: two events with the same payload (hearing.scheduled and hearing.readinessChanged)
// share their list's element type, and GraphQL allows one type per name.
const elementTypes = new Map<string, Ctor>();

function objectType(name: string, fields: Record<string, FieldKind>, description: string): Ctor {
  const model = { [name]: class {} }[name];
  for (const [field, kind] of Object.entries(fields)) {
    if (typeof kind === 'object') {
      let element = elementTypes.get(kind.list);
      if (!element) {
        element = objectType(kind.list, kind.of, `One entry of the ${field} list.`);
        elementTypes.set(kind.list, element);
      }
      Field(() => [element])(model.prototype, field);
    } else if (kind === 'String[]') {
      Field(() => [String])(model.prototype, field);
    } else {
      const nullable = kind.endsWith('?');
      Field(scalar[kind.replace('?', '') as keyof typeof scalar], { nullable })(model.prototype, field);
    }
  }
  ObjectType(name, { description })(model);
  return model;
}

const PAYLOAD_TYPES = new Map<HubEventType, Ctor>(
  HUB_EVENT_TYPES.map((type) => [
    type,
    objectType(payloadTypeName(type), EVENT_FIELDS[type] as Record<string, FieldKind>, `The payload of ${type}.`),
  ]),
);

/** Marks a payload with its event type, so the union can tell which object type it is. */
export const EVENT_TYPE = Symbol('eventType');
export type TypedPayload = Record<string, unknown> & { [EVENT_TYPE]: HubEventType };

export const LiveEventPayload = createUnionType({
  name: 'LiveEventPayload',
  description: "A live event's payload, one object type per event type (redacted for your agency like `data`).",
  types: () => [...PAYLOAD_TYPES.values()] as [Ctor, ...Ctor[]],
  resolveType: (value: TypedPayload) => PAYLOAD_TYPES.get(value[EVENT_TYPE]),
});
