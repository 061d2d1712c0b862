import 'reflect-metadata';
import { startApp } from '@hub/platform';
import { ApiModule } from './api.module';

void startApp({ name: 'api', serves: ['graphql'] }, [ApiModule]);
