// Which attachments the reader previews, and how (attachment-preview in ARCHITECTURE.md).
import { mimeLimits } from '../../mime/limits.js';
import { dataUrl } from '../../mime/message-frame.js';
import type { ParsedAttachment } from '../../mime/types.js';

/**
 * How an attachment is previewed: a raster image as an <img> of a blob: URL (no SVG: an SVG opened from
 * its blob: URL in a tab of its own would run its scripts in the app's origin, so it downloads); a PDF in
 * the browser's own viewer (see pdfFrameUrl); text as text, cut like a body. Anything else downloads.
 */
export type PreviewKind = 'image' | 'pdf' | 'text';

const images = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);
const texts = new Set(['text/plain', 'text/csv', 'text/markdown', 'text/x-log', 'text/tab-separated-values']);

/** The base64 of `size` bytes plus the data: prefix, the length of pdfFrameUrl's result. */
function pdfUrlLength(size: number): number {
  return 'data:application/pdf;base64,'.length + Math.ceil(size / 3) * 4;
}

export function previewKind(
  attachment: Pick<ParsedAttachment, 'mimeType' | 'size'>,
): PreviewKind | undefined {
  const type = attachment.mimeType.toLowerCase().split(';')[0]!.trim();
  if (images.has(type)) return 'image';
  if (texts.has(type)) return 'text';
  if (type === 'application/pdf' && pdfUrlLength(attachment.size) <= mimeLimits.maxPdfPreviewUrlChars)
    return 'pdf';
  return undefined;
}

/**
 * The PDF's frame URL: a data: URL, whose document has an opaque origin (never the app's, unlike a
 * blob: URL the app makes). The frame cannot carry a sandbox attribute: Chromium refuses its PDF viewer
 * in any sandboxed frame (measured: "chrome-error://chromewebdata/"), and the opaque origin is what keeps
 * the PDF away from the app instead.
 */
export function pdfFrameUrl(content: ArrayBuffer): string {
  return dataUrl(content, 'application/pdf');
}

/** The text of a text attachment (UTF-8, invalid bytes replaced), cut at the body's display size. */
export function previewText(content: ArrayBuffer): { text: string; total: number } {
  const text = new TextDecoder('utf-8').decode(content);
  return { text: text.slice(0, mimeLimits.maxBodyChars), total: text.length };
}
