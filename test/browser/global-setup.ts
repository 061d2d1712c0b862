import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../utils/process';
import { startSharedHub } from './shared-hub';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html')))
    throw new Error('dist/web is missing: run "npm run build" first (npm test does).');
  await startSharedHub();
}
