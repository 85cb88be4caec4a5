import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { saveAtomically } from './save.js';

const subfolders = ['tmp', 'new', 'cur'] as const;
/** Messages delivered by this process: part of every unique name (two in one microsecond differ). */
let deliveries = 0;

/** Creates the Maildir's tmp/, new/ and cur/ (private to the user) where missing. */
export async function ensureMaildir(dir: string): Promise<void> {
  for (const sub of subfolders) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
}

/**
 * A unique Maildir file name as the Maildir specification and Dovecot write them:
 * `<seconds>.M<microseconds>P<pid>Q<delivery>R<random>.<host>`, with `/` and `:` in the host name
 * written as \057 and \072.
 */
export function uniqueMaildirName(now = Date.now()): string {
  const host = hostname().replace(/\//g, '\\057').replace(/:/g, '\\072');
  const micros = (now % 1000) * 1000;
  return `${Math.floor(now / 1000)}.M${micros}P${process.pid}Q${++deliveries}R${randomBytes(8).toString('hex')}.${host}`;
}

/**
 * Delivers a message into the Maildir: written under tmp/, flushed, then linked into new/ (never
 * over a file) and tmp/'s copy removed; no flags are set (a reader moves it to cur/ and adds them).
 */
export async function deliverToMaildir(dir: string, bytes: Uint8Array): Promise<string> {
  return saveAtomically(join(dir, 'new'), uniqueMaildirName(), bytes, join(dir, 'tmp'));
}

/**
 * Where a message delivered to `path` (in new/) is now: there, or in cur/ or new/ under the same
 * unique name with a reader's `:2,FLAGS` added. `listings` keeps each folder's listing for the run.
 */
export async function findInMaildir(
  path: string,
  listings: Map<string, Promise<string[]>>,
): Promise<string | undefined> {
  const folder = dirname(path);
  if (!['new', 'cur'].includes(basename(folder))) return undefined;
  const root = dirname(folder);
  const unique = basename(path).split(':')[0]!;
  for (const sub of ['cur', 'new']) {
    const dir = join(root, sub);
    if (!listings.has(dir))
      listings.set(
        dir,
        readdir(dir).catch(() => []),
      );
    const found = (await listings.get(dir)!).find((name) => name === unique || name.startsWith(`${unique}:`));
    if (found !== undefined) return join(dir, found);
  }
  return undefined;
}
