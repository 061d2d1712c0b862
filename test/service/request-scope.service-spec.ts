import { type EntityManager, RequestContext } from '@mikro-orm/core';
import {
  attachRequestEntityManager,
  currentRequestId,
  readJsonRows,
  transactionOf,
  withRequestEntityManager,
  withRequestId,
} from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { Member } from '@hub/identity';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/**
 * The request's EntityManager (libs/core/src/context/request-scope.ts): forked from the root the
 * first time the request asks for it, one per request, and never for plain reads or writes.
 */
describe('the request EntityManager', () => {
  let app: ServiceApp;
  let root: EntityManager;
  let member: Member;
  let forks: jest.SpyInstance;

  beforeAll(async () => {
    app = await startServiceApp();
    root = app.orm.em;
    member = await new IdentityFactory(app).member();
    forks = jest.spyOn(root, 'fork');
  });

  beforeEach(() => forks.mockClear());
  afterAll(async () => {
    forks?.mockRestore();
    await app?.close();
  });

  it('is made when the request first uses the identity map, once, and is the request’s own', async () => {
    const [first, again, sameEntity] = await withRequestEntityManager(root, async () => {
      // Plain reads go to a pooled connection: no fork.
      expect(await readJsonRows(root, Member, [member.id])).toHaveLength(1);
      expect(forks).not.toHaveBeenCalled();
      const one = await root.findOneOrFail(Member, member.id);
      const two = await root.findOneOrFail(Member, member.id);
      return [one, two, one === two];
    });
    expect(forks).toHaveBeenCalledTimes(1);
    expect(first.id).toBe(member.id);
    expect(sameEntity).toBe(true);
    // Another request: a fork of its own, with an identity map of its own.
    const other = await withRequestEntityManager(root, () => root.findOneOrFail(Member, member.id));
    expect(forks).toHaveBeenCalledTimes(2);
    expect(other).not.toBe(again);
  });

  it('is refused outside any request, as MikroORM refuses the global context', async () => {
    await expect(root.findOne(Member, member.id)).rejects.toThrow(/global EntityManager instance methods/);
  });

  it('gives way to a RequestContext made explicitly inside it', async () => {
    await withRequestEntityManager(root, async () => {
      const explicit = root.fork();
      forks.mockClear();
      await RequestContext.create(explicit, async () => {
        const read = await root.findOneOrFail(Member, member.id);
        expect(RequestContext.getEntityManager()?.getUnitOfWork(false).getById(Member.name, member.id)).toBe(read);
      });
      expect(forks).not.toHaveBeenCalled();
    });
  });

  it('is not made by a write: the write forks the root once, and inside it the global EntityManager is the write’s', async () => {
    const writes = app.get(WriteTransaction);
    await withRequestEntityManager(root, async () => {
      expect(transactionOf(root)).toBeUndefined();
      await writes.run(async (em) => {
        expect(transactionOf(root)).toBe(em.getTransactionContext());
        expect(transactionOf(root)).toBeDefined();
        const read = await root.findOneOrFail(Member, member.id);
        expect(em.getUnitOfWork(false).getById(Member.name, member.id)).toBe(read);
      });
      expect(transactionOf(root)).toBeUndefined();
    });
    expect(forks).toHaveBeenCalledTimes(1);
    expect(forks).toHaveBeenCalledWith(expect.objectContaining({ clear: true, disableContextResolution: true }));
  });

  it('shares one scope with the request id: an HTTP request’s EntityManager joins the scope its log line opened', async () => {
    const seen = await new Promise<{ id?: string; inWrite?: string; same: boolean }>((resolve, reject) =>
      withRequestId('request-1', () =>
        attachRequestEntityManager(root, () => {
          const run = async () => {
            const one = await root.findOneOrFail(Member, member.id);
            let inWrite: string | undefined;
            await app.get(WriteTransaction).run(async () => void (inWrite = currentRequestId()));
            const two = await root.findOneOrFail(Member, member.id);
            return { id: currentRequestId(), inWrite, same: one === two };
          };
          run().then(resolve, reject);
        }),
      ),
    );
    expect(seen).toEqual({ id: 'request-1', inWrite: 'request-1', same: true });
    // Outside any request there is no id, and attaching opens a scope of its own.
    expect(currentRequestId()).toBeUndefined();
    const alone = await new Promise((resolve, reject) =>
      attachRequestEntityManager(root, () => void root.findOneOrFail(Member, member.id).then(resolve, reject)),
    );
    expect(alone).toMatchObject({ id: member.id });
  });

  it('cannot be left from inside a write: a context opened outside it or within it still means the write', async () => {
    const writes = app.get(WriteTransaction);
    const inWrite = (em: EntityManager) => ({
      transaction: transactionOf(root) === em.getTransactionContext(),
      nests: writes
        .run(async () => undefined)
        .then(
          () => 'nested',
          (error: Error) => error.message,
        ),
    });
    const seen: { transaction: boolean; nests: string }[] = [];
    await RequestContext.create(root.fork(), () =>
      writes.run(async (em) => {
        const outside = inWrite(em);
        const within = await withRequestEntityManager(root, async () => {
          const read = await root.findOneOrFail(Member, member.id);
          expect(em.getUnitOfWork(false).getById(Member.name, member.id)).toBe(read);
          return inWrite(em);
        });
        for (const { transaction, nests } of [outside, within]) seen.push({ transaction, nests: await nests });
      }),
    );
    expect(seen).toEqual([
      { transaction: true, nests: expect.stringMatching(/does not nest/) },
      { transaction: true, nests: expect.stringMatching(/does not nest/) },
    ]);
  });
});
