import { PropertiesWorld } from '../factories/properties-world';
import { checkMutation, MUTATION_SPECS, type MutationSpec, type Stats } from './mutation-properties';
import { startTestApp, type TestApp } from './test-app';

/**
 * Property-based tests (fast-check) over the mutations of one area: mostly well-typed but hostile
 * variables, sent by coordinators and by members, observers, outsiders, administrators and anonymous
 * callers. For every run: HTTP below 500, every error with an extensions.code that is not a server
 * failure and a message without stack or SQL; a refusal writes nothing (every table compared); a
 * success writes exactly its outbox events and reads back. FC_SEED replays a printed failure.
 */
export function describeAreaProperties(area: MutationSpec['area'], title: string): void {
  describe(`properties: ${title}`, () => {
    let app: TestApp;
    let world: PropertiesWorld;
    const stats: Stats = {};
    const specs = MUTATION_SPECS.filter((spec) => spec.area === area);

    beforeAll(async () => {
      app = await startTestApp();
      world = await PropertiesWorld.build(app);
    });
    afterAll(async () => {
      if (process.env.PROPERTIES_STATS) console.log(JSON.stringify(stats, null, 1));
      await app?.close();
    });

    for (const spec of specs) {
      it(`${spec.name}: no 5xx, no partial write, complete success`, () => checkMutation(world, spec, stats));
    }

    it('keeps answering after all of it, and every property that held saw at least one success', async () => {
      expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
      expect(await app.gql.data('{ me { id } }', {}, { token: world.people.coordinator.token })).toEqual({
        me: { id: world.people.coordinator.member.id },
      });
      const neverSucceeded = specs
        .filter((spec) => stats[spec.name]?.completed && !stats[spec.name].ok)
        .map((spec) => spec.name);
      expect(neverSucceeded).toEqual([]);
    });
  });
}
