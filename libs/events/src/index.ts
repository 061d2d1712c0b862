export * from './rooms';
