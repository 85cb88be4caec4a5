import { open } from 'node:fs/promises';
import { envelopeSender, MboxrdEncoder } from '@webpop/mailfile';
import { withDotlock, type DotlockOptions } from './dotlock.js';

/**
 * Appends one message to an mbox (mboxrd: `>From ` quoting that reads back exactly; the message's
 * bytes as the server sent them, CRLF, the web app's export being the same format — see the
 * README's "One mbox format"), under the dotlock: a `From ` line with the envelope sender
 * (Return-Path, else MAILER-DAEMON) and the time of delivery, the message, a blank line. The file is
 * created (mode 600) if missing; one that does not end in a blank line gets the line breaks it lacks
 * first, so the new `From ` line starts a message. The append is flushed to disk and read back; when
 * anything fails the file is cut back to its old length, so no half message stays in it.
 */
export async function deliverToMbox(
  path: string,
  bytes: Uint8Array,
  options: DotlockOptions & { readonly now?: Date } = {},
): Promise<void> {
  const encoded = mboxrdMessage(bytes, options.now ?? new Date());
  await withDotlock(path, () => append(path, encoded), options);
}

/** One message as mboxrd bytes: `From ` line, the quoted message exactly as received, blank line. */
export function mboxrdMessage(bytes: Uint8Array, now: Date): Uint8Array {
  return new MboxrdEncoder().encodeMessage(bytes, { sender: envelopeSender(bytes), date: now });
}

async function append(path: string, encoded: Uint8Array): Promise<void> {
  const handle = await open(path, 'a+', 0o600);
  let start: number | undefined;
  try {
    start = (await handle.stat()).size;
    const separator = await missingSeparator(handle, start);
    const written = Buffer.concat([separator, encoded]);
    await handle.write(written, 0, written.length, null);
    await handle.sync();
    const back = Buffer.alloc(written.length);
    await handle.read(back, 0, back.length, start);
    if (!back.equals(written)) throw new Error('the mbox does not read back as written');
    start = undefined; // delivered: nothing to undo
  } finally {
    if (start !== undefined) await handle.truncate(start).catch(() => {});
    await handle.close();
  }
}

/** The line breaks an mbox lacks at its end before a new `From ` line (none when empty). */
async function missingSeparator(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<Buffer> {
  if (size === 0) return Buffer.alloc(0);
  const tail = Buffer.alloc(Math.min(2, size));
  await handle.read(tail, 0, tail.length, size - tail.length);
  if (tail.at(-1) !== 0x0a) return Buffer.from('\n\n');
  if (tail.length === 2 && tail[0] !== 0x0a) return Buffer.from('\n');
  return Buffer.alloc(0);
}
