// What the reader's message frame is: its sandbox and CSP, and the data: URLs of inline images (no
// DOMPurify here: the page that shows the frame does not load the sanitizer itself).

/** The policy the message document carries itself: no scripts, no fetches but inline images. */
export function messageContentSecurityPolicy(allowRemote: boolean): string {
  return `default-src 'none'; img-src data: cid: blob:${allowRemote ? ' https: http:' : ''}; style-src 'unsafe-inline'`;
}

/** The iframe's sandbox: no allow-scripts, no allow-same-origin; links may open (new tabs only). */
export const messageSandbox = 'allow-popups allow-popups-to-escape-sandbox';

/** A data: URL for inline bytes. */
export function dataUrl(content: ArrayBuffer, mimeType: string): string {
  const bytes = new Uint8Array(content);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const type = /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'application/octet-stream';
  return `data:${type};base64,${btoa(binary)}`;
}
