/**
 * An unexpected error as it may be logged: its name, code and where it happened, but not a database
 * driver's message, which quotes the statement with its values (case text, titles, ids). knex writes
 * "<statement> - <what the server said>"; only the last part is kept.
 */
export function loggableError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  const fromDriver =
    /^[A-Z][a-zA-Z]*Exception$/.test(error.name) || typeof code === 'string' || / - /.test(error.message);
  const said = fromDriver ? (error.message.split(' - ').at(-1) ?? '').slice(0, 200) : error.message;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .join('\n');
  return `${error.name}${typeof code === 'string' || typeof code === 'number' ? ` (${code})` : ''}: ${said}${frames ? `\n${frames}` : ''}`;
}
