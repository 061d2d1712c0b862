import { EntityManager } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import {
  DynamicModule,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { DatabaseConfig, attachRequestEntityManager } from '@hub/core';
import { ormOptions } from './orm.config';

/** In place of MikroORM's request-context middleware, which forks an EntityManager for every request. */
@Injectable()
class RequestEntityManagerMiddleware implements NestMiddleware {
  constructor(private readonly em: EntityManager) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    attachRequestEntityManager(this.em, next);
  }
}

@Module({})
export class DatabaseModule implements NestModule {
  static forRoot(db: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(db), registerRequestContext: false })],
      providers: [RequestEntityManagerMiddleware],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestEntityManagerMiddleware).forRoutes({ path: '{*all}', method: RequestMethod.ALL });
  }
}
