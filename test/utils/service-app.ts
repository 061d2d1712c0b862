import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Actor } from '@hub/access';
import { ActionItemsModule } from '@hub/action-items';
import { AuditModule } from '@hub/audit';
import { CaseSummariesModule } from '@hub/case-summaries';
import { Clock, ConfigModule, loadConfig, MetricsModule, withRequestEntityManager } from '@hub/core';
import { ReferralsModule } from '@hub/referrals';
import { DatabaseModule, migrate } from '@hub/database';
import { EventsModule } from '@hub/events';
import { ExportsModule } from '@hub/exports';
import { FollowUpModule } from '@hub/follow-up';
import { AuthService, AuthSession, IdentityModule, type Member } from '@hub/identity';
import { MeetingsModule } from '@hub/meetings';
import { ReportsModule } from '@hub/reports';
import { NotificationsModule } from '@hub/notifications';
import { ServiceAccountsModule } from '@hub/service-accounts';
import { TaskForcesModule } from '@hub/task-forces';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScratchDatabase, scratchDatabase } from './database';

export interface ServiceApp {
  /**
   * A domain service of the module. Each method call runs in an ORM context of its own, as each
   * GraphQL operation does (apps/api/src/graphql/graphql.module.ts): one call, one request.
   */
  get<T extends object>(type: Type<T>): T;
  orm: MikroORM;
  /** A fresh entity manager for setting up and checking rows directly. */
  em(): EntityManager;
  /** The member as a request would see them: a real session, roles read from their memberships now. */
  actor(member: Member): Promise<Actor>;
  close(): Promise<void>;
}

/**
 * The domain modules without HTTP, GraphQL or Socket.IO, on a scratch database of the project's
 * dialect, migrated: services are called directly, as the service tier's specs do. One per file.
 * `clock`: the time the services see (the reminder sweep's, say), for a test to move; `env`: more settings.
 */
export async function startServiceApp(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<ServiceApp> {
  const db: ScratchDatabase = await scratchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-service-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    JWT_SECRET: 'service-secret-service-secret-service-0123456789',
    DEMO_DATA: 'false',
    // Background writers off: a spec drives them itself (WebhookDispatcher.tick, expireDue).
    WEBHOOK_POLL_MS: '0',
    API_KEY_EXPIRY_SWEEP_MS: '0',
    ...options.env,
  });
  let module: TestingModule | undefined;
  try {
    const builder = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot(config.database),
        EventsModule,
        AuditModule,
        IdentityModule,
        TaskForcesModule,
        CaseSummariesModule,
        MeetingsModule,
        ActionItemsModule,
        ReportsModule,
        ExportsModule,
        NotificationsModule,
        ServiceAccountsModule,
        ReferralsModule,
        FollowUpModule,
      ],
    });
    if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
    module = await builder.compile();
    const orm = module.get(MikroORM);
    await migrate(orm);
    // After migrating: the outbox relay starts here and reads the outbox table.
    await module.init();
  } catch (error) {
    await module?.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const app = module;
  const orm = app.get(MikroORM);
  return {
    get: (type) => perCallContext(orm, app.get(type)),
    orm,
    em: () => orm.em.fork(),
    actor: async (member) => {
      const em = orm.em.fork();
      const session = em.create(AuthSession, { member: member.id });
      await em.flush();
      return app.get(AuthService).actorForSession(member.id, session.id);
    },
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function perCallContext<T extends object>(orm: MikroORM, service: T): T {
  return new Proxy(service, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => withRequestEntityManager(orm.em, () => value.apply(target, args) as unknown);
    },
  });
}
