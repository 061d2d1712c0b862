import { type EntityManager, type ForkOptions, RequestContext, TransactionContext } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the code serving one request (an HTTP request, a graphql-ws operation, a job's round) shares
 * without passing it along: its id for the log lines, its EntityManager and, inside a write, the write's.
 * One AsyncLocalStorage for all three: on Node 20 every promise is copied into every storage in use (the
 * request id's, MikroORM's request and transaction contexts: about 4 % of a minute note's CPU in the hooks).
 */
interface RequestScope {
  requestId?: string;
  entityManager?: RequestFork;
  /** Inside WriteTransaction.run: the transaction's EntityManager, which the global one stands for. */
  write?: EntityManager;
}

/**
 * A request's EntityManager, forked from the root the first time something asks for it. MikroORM's
 * RequestContext forks one for every request up front; most of the hub's requests never use it (plain
 * reads, the actor cache, a write's transaction forks from the root), and the fork cost a read about
 * 1.5 % of its CPU and a minute note more (`npm run bench -- graphql`, BENCH_PROFILE=1).
 */
class RequestFork {
  private em?: EntityManager;
  private forking = false;

  constructor(private readonly root: EntityManager) {}

  get(): EntityManager | undefined {
    // While the fork is being made its own constructor asks for the context: it gets none, and so itself
    // (as with RequestContext, whose map has no fork yet at that moment).
    if (this.em || this.forking) return this.em;
    this.forking = true;
    try {
      // disableContextResolution: forked from the root, not from the context it is about to become.
      return (this.em = this.root.fork({ useContext: true, disableContextResolution: true }));
    } finally {
      this.forking = false;
    }
  }

  /** The fork if something has made it, without making it. */
  peek(): EntityManager | undefined {
    return this.em;
  }
}

const scopes = new AsyncLocalStorage<RequestScope>();

/**
 * A fork of `em` itself (the root, for the global EntityManager), with an identity map of its own and
 * outside any write's transaction: `em.fork()` forks the EntityManager the global one stands for, and so
 * would make the request's fork first, only to fork it again.
 */
export function forkOfRoot(em: EntityManager, options: ForkOptions = {}): EntityManager {
  return em.fork({ ...options, disableContextResolution: true });
}

/** Runs `next` with this request id on every line it logs (the HTTP request's first middleware). */
export function withRequestId<T>(requestId: string, next: () => T): T {
  return scopes.run({ ...scopes.getStore(), requestId }, next);
}

export function currentRequestId(): string | undefined {
  return scopes.getStore()?.requestId;
}

/**
 * Runs `next` (a graphql-ws operation, a job's round, a service call in the tests) with a request
 * EntityManager of its own.
 */
export function withRequestEntityManager<T>(root: EntityManager, next: () => T): T {
  const outer = scopes.getStore();
  // Inside a write the global EntityManager still stands for the write's (as MikroORM's TransactionContext
  // outranks a RequestContext): a write cannot be left by opening a context.
  return scopes.run({ requestId: outer?.requestId, write: outer?.write, entityManager: new RequestFork(root) }, next);
}

/**
 * The HTTP request's: its scope was opened by the log middleware (withRequestId), which runs first, so the
 * EntityManager joins that scope rather than opening another.
 */
export function attachRequestEntityManager(root: EntityManager, next: () => void): void {
  const scope = scopes.getStore();
  if (!scope || scope.entityManager || scope.write) return withRequestEntityManager(root, next);
  scope.entityManager = new RequestFork(root);
  next();
}

/** Runs a write's body with the global EntityManager standing for the write's own (as em.transactional does). */
export function withWriteEntityManager<T>(em: EntityManager, next: () => T): T {
  return scopes.run({ ...scopes.getStore(), write: em }, next);
}

/**
 * The ORM's `context` option: the EntityManager the global one stands for here. As MikroORM orders its
 * own: a write's first (its transaction), then a RequestContext someone made explicitly, then the
 * request's own, made now if need be.
 */
export function requestEntityManager(name: string): EntityManager | undefined {
  const scope = scopes.getStore();
  return scope?.write ?? RequestContext.getEntityManager(name) ?? scope?.entityManager?.get();
}

/**
 * The transaction a statement on `em` belongs to, as em.getTransactionContext() answers it, except that
 * for the global EntityManager it does not make the request's fork only to learn it has none.
 */
export function transactionOf<T>(em: EntityManager): T | undefined {
  if (!em.global) return em.getTransactionContext<T>();
  const scope = scopes.getStore();
  const context =
    TransactionContext.getEntityManager(em.name) ??
    scope?.write ??
    RequestContext.getEntityManager(em.name) ??
    scope?.entityManager?.peek();
  return context?.getTransactionContext<T>();
}
