import 'reflect-metadata';
import { startApp } from '@hub/platform';
import { configureHub, HUB_FEATURES } from './hub';

void startApp({ name: 'hub', serves: ['web', 'graphql', 'socket.io'] }, HUB_FEATURES, configureHub);
