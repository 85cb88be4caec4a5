/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a subject,
 * sender or file name they make text read differently from what it is ("invoice\u202Efdp.exe" shows
 * as "invoiceexe.pdf"). Plain right-to-left text needs none of them.
 */
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/g;
/** C0 and C1 controls and DEL (tabs and line breaks become spaces below). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f]/g;

/** Header values shown in the list and the reader are cut here. */
export const MAX_DISPLAY_CHARS = 1000;

/**
 * A header value as text to show: without bidi controls and control characters, whitespace collapsed,
 * at most `max` characters (then an ellipsis). React escapes it, so markup in it stays text.
 */
export function displayText(value: string, max: number = MAX_DISPLAY_CHARS): string {
  const text = value.replace(bidiControls, '').replace(controls, ' ').replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  // Do not split a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

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
