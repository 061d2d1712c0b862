import { Global, Module } from '@nestjs/common';
import { Clock, clockFor } from '../clock/clock';
import { HubConfig } from './config';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** The validated configuration (and the clock it chooses), loaded once by `main` and handed in, so a bad value never reaches Nest. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig) {
    return {
      module: ConfigModule,
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: Clock, useFactory: () => clockFor(config) },
      ],
      exports: [HUB_CONFIG, Clock],
    };
  }
}
