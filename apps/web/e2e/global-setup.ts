// Builds the web app once into a folder of its own; every test's bridge serves it from there.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
export const builtApp = path.join(here, '.tmp', 'dist');

export default async function globalSetup(): Promise<void> {
  await build({
    root: path.resolve(here, '..'),
    logLevel: 'warn',
    build: { outDir: builtApp, emptyOutDir: true, sourcemap: false },
  });
}
