import { PropertiesWorld } from '../factories/properties-world';
import { checkMutation, MUTATION_SPECS, Stats } from '../utils/mutation-properties';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Property-based tests (fast-check) over the mutations of one area (identity, memberships and task forces): mostly well-typed but
 * hostile variables, sent by coordinators and by members, observers, outsiders, administrators and
 * anonymous callers. For every run: HTTP below 500, every error with an extensions.code that is not a
 * server failure and a message without stack or SQL; a refusal writes nothing (every table compared);
 * a success writes exactly its outbox events and reads back. FC_SEED replays a printed failure.
 */
describe('properties: identity, memberships and task forces', () => {
  let app: TestApp;
  let world: PropertiesWorld;
  const stats: Stats = {};

  beforeAll(async () => {
    app = await startTestApp();
    world = await PropertiesWorld.build(app);
  });
  afterAll(async () => {
    if (process.env.PROPERTIES_STATS) console.log(JSON.stringify(stats, null, 1));
    await app?.close();
  });

  for (const spec of MUTATION_SPECS.filter((s) => s.area === 'identity')) {
    it(`${spec.name}: no 5xx, no partial write, complete success`, () => checkMutation(world, spec, stats));
  }

  it('keeps answering after all of it, and every property that held saw at least one success', async () => {
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    expect(await app.gql.data('{ me { id } }', {}, { token: world.people.coordinator.token })).toEqual({ me: { id: world.people.coordinator.member.id } });
    const neverSucceeded = MUTATION_SPECS.filter((s) => s.area === 'identity' && stats[s.name]?.completed && !stats[s.name].ok).map((s) => s.name);
    expect(neverSucceeded).toEqual([]);
  });
});

describe('properties: the generators cover the schema', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('has a generator for every mutation the running schema offers (a new mutation fails here until it has one)', async () => {
    const { __schema } = await app.gql.data('{ __schema { mutationType { fields { name } } } }');
    const inSchema = __schema.mutationType.fields.map((field: { name: string }) => field.name).sort();
    const covered = MUTATION_SPECS.map((spec) => spec.name).sort();
    expect(covered).toEqual(inSchema);
  });
});
