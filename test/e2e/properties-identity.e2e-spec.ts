import { describeAreaProperties } from '../utils/area-properties';
import { startTestApp, type TestApp } from '../utils/test-app';
import { MUTATION_SPECS } from '../utils/mutation-properties';

describeAreaProperties('identity', 'identity, memberships and task forces');

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
