export * from './live-sessions';
