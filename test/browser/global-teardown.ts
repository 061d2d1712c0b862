import { stopSharedHub } from './shared-hub';

export default async function globalTeardown(): Promise<void> {
  await stopSharedHub();
}
