import { buildSchema, executeSync, type GraphQLResolveInfo, parse } from 'graphql';
import { meetingListsFor } from './loaders';
import { selectedFields } from './selection';

const schema = buildSchema(`
  type Item { id: ID! title: String }
  type Meeting { id: ID! title: String agenda: [Item!]! attendance: [Item!]! decisions: [Item!]! actionItems: [Item!]! currentAgendaItem: Item }
  type Query { meeting: Meeting }
`);

/** The fields selectedFields finds under `meeting` for a query, and the meeting lists they read. */
function selected(query: string, document = parse(query)) {
  let info: GraphQLResolveInfo | undefined;
  executeSync({
    schema,
    document,
    rootValue: {
      // A root value's function is called as (args, context, info).
      meeting: (_: unknown, __: unknown, i: GraphQLResolveInfo) => ((info = i), null),
    },
  });
  const fields = selectedFields(info!);
  return { fields, names: [...fields].sort(), lists: Object.keys(meetingListsFor(fields)) };
}

describe('selectedFields: what a query asks for under the field being resolved', () => {
  test('direct fields, not the fields of their children', () => {
    expect(selected('{ meeting { id agenda { title } } }').names).toEqual(['agenda', 'id']);
  });

  test('through named fragments (also nested, also spread twice) and inline fragments', () => {
    const { names, lists } = selected(`{ meeting { ...A ... on Meeting { decisions { id } } ...A } }
      fragment A on Meeting { title ...B }
      fragment B on Meeting { actionItems { id } currentAgendaItem { id } }`);
    expect(names).toEqual(['actionItems', 'currentAgendaItem', 'decisions', 'title']);
    // currentAgendaItem is found in the agenda, so the agenda is read; lists in one order for one statement text.
    expect(lists).toEqual(['actionItems', 'agenda', 'decisions']);
  });

  test('counts a field under @skip or @include as asked for', () => {
    expect(selected('{ meeting { attendance @skip(if: true) { id } } }').lists).toEqual(['attendance']);
  });

  test('a query without lists reads none', () => {
    expect(selected('{ meeting { id title } }').lists).toEqual([]);
  });

  test('the same parsed query is walked once: its answer is kept with its nodes', () => {
    const document = parse('{ meeting { agenda { id } } }');
    const first = selected('', document);
    const second = selected('', document);
    expect(second.fields).toBe(first.fields);
    expect(selected('{ meeting { agenda { id } } }').fields).not.toBe(first.fields);
  });
});
