import { readFileSync } from 'node:fs';

let cachedVersion: string | undefined;

/** The version in apps/cli/package.json (src/ and dist/ both sit beside it). */
export function version(): string {
  if (cachedVersion === undefined) {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    cachedVersion = manifest.version ?? 'unknown';
  }
  return cachedVersion;
}
