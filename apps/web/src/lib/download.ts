import { sanitizeFilename } from './filename.js';

/**
 * Saves bytes as a file, byte-exact: a Blob typed application/octet-stream (so the browser never renders
 * it, whatever the message claimed its type was) behind a temporary object URL, under a sanitized name.
 */
export function downloadBytes(content: ArrayBuffer | Uint8Array, filename: string): void {
  downloadBlob(new Blob([content as BlobPart], { type: 'application/octet-stream' }), filename);
}

/** Saves a Blob through a temporary object URL under a sanitized name (the Blob keeps its own type). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = sanitizeFilename(filename);
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
