/**
 * Bidirectional marks, embeddings, overrides and isolates: in a subject, sender or file name they make
 * text read differently from what it is ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
 */
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * For the source view, which shows what a message really is: bidi controls become visible
 * `<U+202E>` marks instead of silently reordering the text around them.
 */
export function revealBidiControls(text: string): string {
  return text.replace(
    bidiControls,
    (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
