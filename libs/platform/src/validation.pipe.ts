import { type ArgumentMetadata, type ValidationError, ValidationPipe } from '@nestjs/common';
import { badInput } from '@hub/core';
import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;

/**
 * class-validator looks a class's rules up again on every validation, testing every class that has any
 * for inheritance (about 0.5 % of a minute note's CPU). The rules are fixed once the classes are loaded;
 * they are remembered per class and options, and forgotten whenever a rule is added.
 */
function rememberRules(): void {
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rules = new WeakMap<object, Map<string, Rules>>();
  storage.addValidationMetadata = (metadata) => {
    rules = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}
rememberRules();

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message = error.constraints && Object.values(error.constraints)[0];
    if (message) return { field, message };
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** NUL, or half of a surrogate pair: neither database can store it (PostgreSQL refuses, SQLite breaks the statement). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorableField(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = unstorableField(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const INPUT_KINDS = new Set(['args', 'body', 'query', 'param']);

class HubValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    // Only what a client sends (GraphQL arguments, bodies, socket payloads): never the request context,
    // a parent entity or an actor, which are large object graphs and not input.
    if (!INPUT_KINDS.has(metadata.type as string)) return super.transform(value, metadata);
    // Named as class-validator names fields: "title" inside an input object, "email" for a plain argument.
    const field = unstorableField(value, typeof value === 'object' ? '' : (metadata.data ?? ''));
    if (field !== undefined) {
      const name = field || 'input';
      throw badInput(
        name,
        `${name} contains a character that cannot be stored (a NUL or a broken surrogate pair). Remove it and try again.`,
      );
    }
    return super.transform(value, metadata);
  }
}

/** class-validator on every input; the first problem becomes BAD_USER_INPUT naming the field. */
export const hubValidationPipe = () =>
  new HubValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'input', message: 'The input is not valid.' };
      return badInput(problem.field, problem.message);
    },
  });
