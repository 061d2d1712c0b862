import { KnownLoader, mapMaybe } from './loaders';

/** A loader over a fake table, counting its batches; dispatched when the test says so. */
function loader() {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  const known = new KnownLoader<string | undefined>(
    async (keys) => {
      batches.push([...keys]);
      return keys.map((key) => (key.startsWith('missing') ? undefined : `row ${key}`));
    },
    (dispatch) => pending.push(dispatch),
  );
  const dispatch = () => pending.splice(0).forEach((run) => run());
  return { known, batches, dispatch };
}

describe('KnownLoader', () => {
  it('answers a primed key at once, without a promise or a batch', () => {
    const { known, batches } = loader();
    known.prime('a', 'primed a');
    expect(known.get('a')).toBe('primed a');
    expect(batches).toEqual([]);
  });

  it('batches the keys it does not hold, then answers them at once, a missing row included', async () => {
    const { known, batches, dispatch } = loader();
    const first = known.get('b');
    const second = known.get('missing c');
    expect(first).toBeInstanceOf(Promise);
    dispatch();
    expect(await first).toBe('row b');
    expect(await second).toBeUndefined();
    expect(batches).toEqual([['b', 'missing c']]);
    expect(known.get('b')).toBe('row b');
    expect(known.get('missing c')).toBeUndefined();
    expect(batches).toHaveLength(1);
  });

  it('keeps what it holds when primed again, as DataLoader does, and load() still answers with a promise', async () => {
    const { known, batches } = loader();
    known.prime('d', 'first d');
    known.prime('d', 'second d');
    expect(known.get('d')).toBe('first d');
    await expect(known.load('d')).resolves.toBe('first d');
    expect(batches).toEqual([]);
  });

  it('keeps no answer from a batch that fails or hands back an Error: a later ask is a promise again', async () => {
    const pending: (() => void)[] = [];
    const dispatch = () => pending.splice(0).forEach((run) => run());
    const failing = new KnownLoader<string>(
      () => Promise.reject(new Error('connection lost')),
      (run) => pending.push(run),
    );
    const failed = failing.get('e');
    dispatch();
    await expect(failed).rejects.toThrow('connection lost');
    const erring = new KnownLoader<string>(
      async (keys) => keys.map((key) => new Error(`no ${key}`) as unknown as string),
      (run) => pending.push(run),
    );
    const asked = erring.get('f');
    dispatch();
    await expect(asked).rejects.toThrow('no f');
    expect(erring.get('f')).toBeInstanceOf(Promise);
    expect(failing.get('e')).toBeInstanceOf(Promise);
  });

  it('maps a value at once and a promise when it resolves', async () => {
    expect(mapMaybe(2, (n) => n * 3)).toBe(6);
    const later = mapMaybe(Promise.resolve(2), (n) => n * 3);
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toBe(6);
  });
});
