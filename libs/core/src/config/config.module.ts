import { Global, Module } from '@nestjs/common';
import { HubConfig } from './config';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** The validated configuration, loaded once by `main` and handed in, so a bad value never reaches Nest. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }],
      exports: [HUB_CONFIG],
    };
  }
}
