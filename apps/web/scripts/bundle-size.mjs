#!/usr/bin/env node
// Measures the built app (run `vite build` first): the initial JavaScript — the entry script and the
// modules index.html preloads — gzipped, and every other chunk (loaded later, on demand).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g)].map(
    (match) => match[1],
  ),
);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = readdirSync(join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => {
    const bytes = readFileSync(join(dist, 'assets', name));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      initial: initial.has(`assets/${name}`),
    };
  })
  .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
for (const row of rows) {
  console.log(
    `${row.initial ? 'initial ' : 'lazy    '} ${row.name.padEnd(32)} ${kb(row.raw).padStart(10)} ${kb(row.gzip).padStart(10)} gzip`,
  );
}
const total = rows.filter((row) => row.initial).reduce((sum, row) => sum + row.gzip, 0);
console.log(`initial JavaScript: ${kb(total)} gzip (aim: under 100 KB)`);
if (total > 100 * 1024) process.exitCode = 1;
