// Builds the web app once per run into a folder of its own (never a stale apps/web/dist); every
// bridge of both projects serves it from there.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
export const builtApp = path.join(here, '.tmp', 'app');

export default async function globalSetup(): Promise<void> {
  await build({
    root: path.resolve(here, '../apps/web'),
    logLevel: 'warn',
    build: { outDir: builtApp, emptyOutDir: true, sourcemap: false },
  });
}
