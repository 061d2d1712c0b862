import { type EntityManager, RequestContext, TransactionContext } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';

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

const requests = new AsyncLocalStorage<RequestFork>();

/** Runs `next` (a request, a graphql-ws operation, a job's round) with its own request EntityManager. */
export function withRequestEntityManager<T>(root: EntityManager, next: () => T): T {
  return requests.run(new RequestFork(root), next);
}

/**
 * The ORM's `context` option: the EntityManager the global one stands for here. A RequestContext someone
 * made explicitly comes first (it is nearer), then the request's own, made now if need be.
 */
export function requestEntityManager(name: string): EntityManager | undefined {
  return RequestContext.getEntityManager(name) ?? requests.getStore()?.get();
}

/**
 * The transaction a statement on `em` belongs to, as em.getTransactionContext() answers it, except that
 * for the global EntityManager it does not make the request's fork only to learn it has none.
 */
export function transactionOf<T>(em: EntityManager): T | undefined {
  if (!em.global) return em.getTransactionContext<T>();
  const context =
    TransactionContext.getEntityManager(em.name) ??
    RequestContext.getEntityManager(em.name) ??
    requests.getStore()?.peek();
  return context?.getTransactionContext<T>();
}
