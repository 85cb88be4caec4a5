import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface FileOwner {
  uid: number;
  gid: number;
}

const SUBDIRS = ['tmp', 'new', 'cur'] as const;
let deliveries = 0;

/** Creates a maildir (tmp/, new/, cur/) owned by `owner`. */
export async function createMaildir(dir: string, owner: FileOwner): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chown(dir, owner.uid, owner.gid);
  for (const sub of SUBDIRS) {
    await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
    await chown(join(dir, sub), owner.uid, owner.gid);
  }
}

/**
 * Delivers a message the maildir way: write into tmp/ under a unique name, then rename into new/.
 * The bytes are written as given (CRLF or LF).
 */
export async function deliverToMaildir(dir: string, message: Uint8Array, owner: FileOwner): Promise<string> {
  const now = Date.now();
  const unique = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${++deliveries}R${randomBytes(4).toString('hex')}`;
  const name = `${unique}.${hostname().replace(/[/:]/g, '_')}`;
  const temporary = join(dir, 'tmp', name);
  const final = join(dir, 'new', name);
  await writeFile(temporary, message, { mode: 0o600 });
  await chown(temporary, owner.uid, owner.gid);
  await chmod(temporary, 0o600);
  await rename(temporary, final);
  return final;
}

/** Paths of the messages in cur/ and new/. */
export async function listMaildirMessages(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const sub of ['cur', 'new']) {
    const names = await readdir(join(dir, sub)).catch(() => []);
    files.push(...names.sort().map((name) => join(dir, sub, name)));
  }
  return files;
}
