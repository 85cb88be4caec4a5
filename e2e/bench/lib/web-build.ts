import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from './paths.js';

export interface WebBuild {
  /** The built app: index.html and assets/. */
  readonly dir: string;
  remove(): void;
}

/**
 * Builds the web app with its own Vite configuration into a fresh folder (not apps/web/dist, which
 * other work may be using), so the figures are always of the current sources. `minify: false` for a
 * profile that names functions.
 */
export function buildWebApp(options: { minify?: boolean } = {}): WebBuild {
  const dir = mkdtempSync(join(tmpdir(), 'webpop-bench-web-'));
  const web = fromRoot('apps/web/');
  execFileSync(
    process.execPath,
    [
      join(web, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
      // Unminified for a CPU profile: the functions keep their names.
      ...(options.minify === false ? ['--minify', 'false'] : []),
    ],
    { cwd: web, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
