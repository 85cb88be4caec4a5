import { randomBytes } from 'node:crypto';
import { link, open, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalError } from '../connect.js';
import { limits } from '../limits.js';

export interface DotlockOptions {
  /** Told once when the lock is held by someone else and the delivery waits. */
  readonly onWait?: (lockPath: string) => void;
  readonly signal?: AbortSignal;
  readonly waitMs?: number;
}

/**
 * Runs `work` holding `<file>.lock`, the dotlock that procmail, mutt (for spool mailboxes) and
 * Dovecot (mbox_write_locks) take: a unique file written first, then hard-linked to the lock name, so
 * that only one writer can succeed, on NFS too (what liblockfile does). A lock older than
 * `limits.staleDotlockMs` is a dead holder's and is removed; a live one is waited for, with a
 * doubling pause, up to `waitMs`.
 */
export async function withDotlock<T>(
  file: string,
  work: () => Promise<T>,
  options: DotlockOptions = {},
): Promise<T> {
  const lockPath = `${file}.lock`;
  await acquire(lockPath, options);
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => {});
  }
}

async function acquire(lockPath: string, options: DotlockOptions): Promise<void> {
  const unique = `${lockPath}.${hostname()}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + (options.waitMs ?? limits.dotlockWaitMs);
  let pause: number = limits.dotlockFirstPauseMs;
  let told = false;
  try {
    const handle = await open(unique, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
      throw new LocalError(
        `cannot create the lock ${lockPath}: ${error.message}` +
          (error.code === 'EACCES' ? ' (the mbox folder must be writable to lock the mbox)' : ''),
      );
    });
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    for (;;) {
      if (await linked(unique, lockPath)) return;
      if (await removedIfStale(lockPath)) continue;
      if (Date.now() >= deadline) {
        throw new LocalError(
          `the mbox is locked by another program (${lockPath}) and stayed locked for ${Math.round((options.waitMs ?? limits.dotlockWaitMs) / 1000)} s; nothing was delivered`,
        );
      }
      if (!told) options.onWait?.(lockPath);
      told = true;
      await sleep(pause, undefined, { signal: options.signal });
      pause = Math.min(pause * 2, limits.dotlockMaxPauseMs);
    }
  } finally {
    await unlink(unique).catch(() => {});
  }
}

/** link(2) the unique file to the lock; NFS may report a failure of a link that happened: check nlink. */
async function linked(unique: string, lockPath: string): Promise<boolean> {
  try {
    await link(unique, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      const links = await stat(unique).then(
        (s) => s.nlink,
        () => 1,
      );
      if (links === 2) return true;
      throw new LocalError(`cannot lock ${lockPath}: ${(error as Error).message}`);
    }
    return false;
  }
}

async function removedIfStale(lockPath: string): Promise<boolean> {
  const held = await stat(lockPath).catch(() => undefined);
  if (held === undefined) return true; // released meanwhile: try again at once
  if (Date.now() - held.mtimeMs < limits.staleDotlockMs) return false;
  await unlink(lockPath).catch(() => {});
  return true;
}
