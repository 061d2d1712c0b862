import 'reflect-metadata';
import { startApp } from '@hub/platform';
import { configureHub, HUB_FEATURES } from './hub';

void startApp('hub', HUB_FEATURES, configureHub);
