import { Parser } from '@asyncapi/parser';
import { HUB_EVENT_TYPES, payloadTypeName } from '@hub/events';
import { dump, load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type asyncApiDocument, printAsyncApi } from './asyncapi';

const FILE = join(__dirname, '..', '..', '..', 'docs', 'asyncapi.yaml');
const committed = () => readFileSync(FILE, 'utf8');

describe('the committed docs/asyncapi.yaml', () => {
  it('is what the typed event map generates today (regenerate with `cli asyncapi docs/asyncapi.yaml`)', () => {
    expect(committed()).toBe(printAsyncApi(dump));
  });

  it('is a valid AsyncAPI 3 document for the official parser: no error, no warning', async () => {
    const { document, diagnostics } = await new Parser().parse(committed());
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    if (!document) throw new Error('the parser read no document');
    expect(document.version()).toBe('3.0.0');
    // What the parser read back: every domain event is a message the gateway sends, with its payload schema.
    const sent = document
      .operations()
      .filterBySend()
      .flatMap((operation) =>
        operation
          .messages()
          .all()
          .map((message) => message.name()),
      );
    expect(sent).toEqual(expect.arrayContaining(HUB_EVENT_TYPES));
    const received = document
      .operations()
      .filterByReceive()
      .map((operation) => [operation.id(), operation.reply()?.messages().all().length]);
    expect(received).toEqual([
      ['roomJoin', 1],
      ['roomLeave', 1],
      ['presenceGet', 1],
    ]);
  });

  it('describes every event of the map with exactly its payload fields', () => {
    const doc = load(committed()) as ReturnType<typeof asyncApiDocument> & {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas).sort()).toEqual(HUB_EVENT_TYPES.map(payloadTypeName).sort());
    expect(Object.keys(schemas.ActionItemUpdatedEvent.properties)).toEqual(
      expect.arrayContaining(['actionItemId', 'status', 'changes', 'assigneeMemberId']),
    );
    expect(Object.keys(schemas.CaseSummaryUpdatedEvent.properties).sort()).toEqual([
      'caseCode',
      'caseSummaryId',
      'changed',
      'version',
    ]);
  });
});
