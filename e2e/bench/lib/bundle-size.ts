import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The app shell's initial JavaScript, gzipped (level 9): the entry script and the modules index.html
 * preloads. Everything else loads later, on demand. Same rule as apps/web's `pnpm size`.
 */
export function initialJsGzipBytes(distDir: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = [
    ...new Set(
      [
        ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g),
      ].map((match) => match[1]!),
    ),
  ];
  if (files.length === 0) throw new Error('index.html names no script');
  const bytes = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length,
    0,
  );
  return { bytes, files };
}
