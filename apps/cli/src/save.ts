import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `bytes` to `dir/name` atomically: a temporary file (in `tempDir`, by default `dir`; its name
 * starts with a dot, which no backup file's does) is written, flushed to disk, then linked to its
 * final name. The final file is never overwritten: if it exists (or, on a case-insensitive disk, a
 * name differing only in case does), this fails with EEXIST.
 */
export async function saveAtomically(
  dir: string,
  name: string,
  bytes: Uint8Array,
  tempDir = dir,
): Promise<string> {
  const final = join(dir, name);
  const temp = join(tempDir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await linkNoClobber(temp, final);
  } finally {
    await unlink(temp).catch(() => {});
  }
  await syncDirectory(dir);
  return final;
}

async function linkNoClobber(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // File systems without hard links: check, then rename (not atomic against another writer).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    const exists = await stat(to).then(
      () => true,
      () => false,
    );
    if (exists) throw Object.assign(new Error(`file already exists: ${to}`), { code: 'EEXIST' });
    await rename(from, to);
  }
}

/** Makes the new directory entry durable too (POSIX); a no-op where directories cannot be opened. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems: nothing to do.
  }
}

/** Reads the file back and compares it with what was meant to be written. */
export async function verifyFile(path: string, expected: Uint8Array): Promise<boolean> {
  const actual = await readFile(path);
  return Buffer.compare(actual, expected) === 0;
}
