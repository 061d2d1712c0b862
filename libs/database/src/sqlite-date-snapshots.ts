import { type EventArgs, type EventSubscriber, helper } from '@mikro-orm/core';

/**
 * MikroORM 6 on SQLite keeps a loaded entity's dates in its snapshot as Date objects, but compares
 * them at flush time as the numbers SQLite stores: every entity loaded inside a transaction was
 * written back unchanged, and a versioned one (a case summary) got a new version, so the next editor
 * saw a false CONFLICT. Storing the loaded dates in the snapshot as numbers makes the two agree.
 */
export class SqliteDateSnapshots implements EventSubscriber {
  onLoad({ entity, meta }: EventArgs<object>): void {
    const snapshot = helper(entity).__originalEntityData as Record<string, unknown> | undefined;
    if (!snapshot) return;
    for (const prop of meta.props) {
      const value = snapshot[prop.name];
      if (prop.runtimeType === 'Date' && value instanceof Date) snapshot[prop.name] = value.getTime();
    }
  }
}
