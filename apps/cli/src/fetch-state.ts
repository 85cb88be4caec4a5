import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ConnectionArgs } from './args.js';
import { LocalError } from './connect.js';
import { safeFileName } from './filename.js';

/** What `fetch` remembers of one message it saved: enough to prove, in a later run, that a file is it. */
export interface SavedRecord {
  readonly uid: string;
  /** The message's size: the server's LIST size at the time (the engine refuses a mismatch). */
  readonly size: number;
  /**
   * Bytes saved, when not `size`: with --add-headers the Delivered-To and Received lines come
   * before the message's bytes.
   */
  readonly savedSize?: number;
  /** SHA-256 of the bytes saved (or handed over), lower-case hex. */
  readonly sha256: string;
  /** Absolute path of the file it was saved as (for an mbox, the mbox; for an MDA, empty). */
  readonly file: string;
  /** ISO 8601. */
  readonly savedAt: string;
  /**
   * Handed over rather than saved as a file of its own: appended to an mbox (flushed and read back)
   * or taken by an MDA (exit status 0). The mail reader may since have moved it, so the record
   * alone is the proof that it was delivered.
   */
  readonly delivered?: 'mbox' | 'mda';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Where an account's state file lives unless `--state FILE` says otherwise:
 * `$XDG_STATE_HOME/webpop/fetch/<user>@<host>:<port>.jsonl` (XDG_STATE_HOME defaults to
 * `$HOME/.local/state`). One file per account, so two accounts fetched into one folder never share
 * records; never inside the output folder, so moving the delivered files keeps it.
 */
export function defaultStatePath(
  env: Readonly<Record<string, string | undefined>>,
  args: ConnectionArgs,
): string {
  const base = env.XDG_STATE_HOME || (env.HOME ? join(env.HOME, '.local', 'state') : undefined);
  if (base === undefined) {
    throw new LocalError(
      'no place for the fetch state file: neither XDG_STATE_HOME nor HOME is set (pass --state FILE)',
    );
  }
  const account = safeFileName(`${args.user ?? ''}@${args.host}:${args.port}`);
  return join(resolve(base), 'webpop', 'fetch', `${account}.jsonl`);
}

/**
 * The state file: JSON Lines, one SavedRecord per line, appended (and flushed) as each message is
 * saved, so an interrupted run keeps what it saved. A later line for the same UIDL replaces an
 * earlier one. Unreadable lines are ignored (a crash can leave the last one cut short): they only
 * mean a message cannot be proven saved, never that one is.
 */
export class FetchState {
  private constructor(
    readonly path: string,
    private readonly records: Map<string, SavedRecord>,
  ) {}

  static async open(path: string): Promise<FetchState> {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LocalError(`cannot read the state file ${path}: ${(error as Error).message}`);
      }
    }
    const records = new Map<string, SavedRecord>();
    for (const line of text.split('\n')) {
      const record = parseRecord(line);
      if (record) records.set(record.uid, record);
    }
    return new FetchState(path, records);
  }

  get(uid: string): SavedRecord | undefined {
    return this.records.get(uid);
  }

  has(uid: string): boolean {
    return this.records.has(uid);
  }

  /** Appends the record and flushes it to disk before resolving. */
  async record(record: SavedRecord): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const handle = await open(this.path, 'a', 0o600);
      try {
        await handle.appendFile(`${JSON.stringify(record)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new LocalError(`cannot write the state file ${this.path}: ${(error as Error).message}`);
    }
    this.records.set(record.uid, record);
  }

  /**
   * Drops the records of messages the server no longer has (they were deleted), rewriting the file
   * atomically, so that it does not grow without end.
   */
  async retainOnly(uids: ReadonlySet<string>): Promise<void> {
    const gone = [...this.records.keys()].filter((uid) => !uids.has(uid));
    if (gone.length === 0) return;
    for (const uid of gone) this.records.delete(uid);
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile([...this.records.values()].map((r) => `${JSON.stringify(r)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new LocalError(`cannot rewrite the state file ${this.path}: ${(error as Error).message}`);
    }
  }
}

function parseRecord(line: string): SavedRecord | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { uid, size, savedSize, sha256, file, savedAt, delivered } = value as Record<string, unknown>;
  if (
    typeof uid !== 'string' ||
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256) ||
    typeof file !== 'string' ||
    typeof savedAt !== 'string'
  ) {
    return undefined;
  }
  if (savedSize !== undefined && !(Number.isSafeInteger(savedSize) && (savedSize as number) > size))
    return undefined;
  const record: SavedRecord = {
    uid,
    size,
    ...(savedSize === undefined ? {} : { savedSize: savedSize as number }),
    sha256,
    file,
    savedAt,
  };
  if (delivered === 'mbox' || delivered === 'mda') return { ...record, delivered };
  return delivered === undefined ? record : undefined;
}
