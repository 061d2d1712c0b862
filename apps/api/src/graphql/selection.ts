import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query asks for directly under the field being resolved, through fragments
 * and inline fragments, whatever their @include/@skip (asking for a field read for nothing costs less
 * than a statement more when it is kept): for a root read that brings in up front what the query will ask
 * for next.
 */
export function selectedFields(info: GraphQLResolveInfo): ReadonlySet<string> {
  // Apollo keeps a parsed query's document: the same text asked again is the same nodes, walked once.
  const single = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const known = single && SELECTED.get(single);
  if (known) return known;
  const names = new Set<string>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  if (single) SELECTED.set(single, names);
  return names;
}

const SELECTED = new WeakMap<FieldNode, ReadonlySet<string>>();
