import { readFile } from 'node:fs/promises';
import type { MessageEntry } from '@webpop/pop3';
import { sha256Hex, type SavedRecord } from './fetch-state.js';
import { findInMaildir } from './maildir.js';

/** Whether a message an earlier run saved may be deleted now; if not, why not (a sentence). */
export type DeleteProof = { readonly proven: true } | { readonly proven: false; readonly reason: string };

/**
 * A message saved by an earlier run is proven saved when the server's LIST size still equals the
 * size saved under the same UIDL, and the file it was saved as still exists with the size and
 * SHA-256 recorded (with --add-headers, of the message and the lines put before it) (for a Maildir: there, or moved by a reader from new/ to cur/ with flags added). Anything else (no record, the file moved, removed, changed, unreadable) is no proof.
 */
export async function proveSaved(
  message: MessageEntry,
  record: SavedRecord | undefined,
  statePath: string,
  /** Listings of Maildir folders for this run: a message delivered to new/ may have moved to cur/. */
  maildirListings: Map<string, Promise<string[]>> = new Map(),
): Promise<DeleteProof> {
  if (record === undefined || record.uid !== message.uid) {
    return no(`the state file ${statePath} has no record of saving it`);
  }
  if (record.size !== message.size) {
    return no(`the server's size for it (${message.size} bytes) differs from the ${record.size} bytes saved`);
  }
  // Appended to an mbox or taken by an MDA: recorded only once that succeeded; the copy may since have
  // been read and moved by the mail reader, so there is no file of its own to check.
  if (record.delivered !== undefined) return { proven: true };
  let bytes: Buffer;
  try {
    bytes = await readFile(record.file).catch(async (error: NodeJS.ErrnoException) => {
      const moved = error.code === 'ENOENT' ? await findInMaildir(record.file, maildirListings) : undefined;
      if (moved === undefined) throw error;
      return readFile(moved);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return no(
      code === 'ENOENT'
        ? `its saved copy ${record.file} is gone (moved or removed), so it cannot be checked`
        : `its saved copy ${record.file} cannot be read: ${(error as Error).message}`,
    );
  }
  if (bytes.length !== (record.savedSize ?? record.size) || sha256Hex(bytes) !== record.sha256) {
    return no(`its saved copy ${record.file} has changed since it was saved (size or SHA-256 differ)`);
  }
  return { proven: true };
}

function no(reason: string): DeleteProof {
  return { proven: false, reason };
}
