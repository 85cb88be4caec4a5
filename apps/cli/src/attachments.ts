import { mkdir } from 'node:fs/promises';
import { sanitizeFilename } from '@webpop/mailfile';
import { saveAtomically } from './save.js';
import { limits } from './limits.js';

/** An attachment to write: its name as the message gives it (untrusted) and its decoded bytes. */
export interface AttachmentToSave {
  readonly filename: string | undefined;
  readonly content: Uint8Array;
}

/**
 * Writes each attachment into `dir` (created if missing) and returns the paths, in order. The name
 * is the message's, made safe by the one sanitizer the web app's downloads use (@webpop/mailfile:
 * last path segment only, no control or invisible characters, no leading dots, at most 150
 * characters), or `attachment` when it has none. An existing file is never overwritten: the next
 * free name `stem (2).ext`, `stem (3).ext`, … is taken instead.
 */
export async function saveAttachments(
  dir: string,
  attachments: readonly AttachmentToSave[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const saved: string[] = [];
  for (const attachment of attachments) {
    const name = fitBytes(sanitizeFilename(attachment.filename), limits.attachmentNameBytes);
    saved.push(await saveUnder(dir, name, attachment.content));
  }
  return saved;
}

async function saveUnder(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  for (let copy = 1; copy <= limits.attachmentNameTries; copy++) {
    try {
      return await saveAtomically(dir, numbered(name, copy), bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(
    `cannot save the attachment ${name}: ${dir} already has it and ${limits.attachmentNameTries - 1} numbered copies`,
  );
}

/**
 * `name` cut (in its stem, keeping the extension) to at most `max` UTF-8 bytes: file systems count
 * bytes (255 on ext4, APFS, NTFS), and 150 characters of Cyrillic or CJK can be 300 to 600.
 */
export function fitBytes(name: string, max: number): string {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  if (bytes(name) <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && bytes(name.slice(dot)) <= max / 2 ? name.slice(dot) : '';
  const stem = [...(extension ? name.slice(0, dot) : name)];
  while (stem.length > 1 && bytes(stem.join('') + extension) > max) stem.pop();
  return stem.join('').trimEnd() + extension;
}

/** `name` for the first copy, then `stem (n).ext`. */
export function numbered(name: string, copy: number): string {
  if (copy === 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${copy})${name.slice(dot)}` : `${name} (${copy})`;
}
