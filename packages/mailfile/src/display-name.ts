/**
 * Characters that show as nothing (or as blank space that is not a space) and so can hide or reorder
 * what a subject, sender or file name really says: bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E/F, U+202A–E, U+2066–9), zero-width and invisible formatting characters
 * (U+200B, U+2060–4, U+FEFF, U+180E, U+034F, U+00AD, U+206A–F, U+FFF9–B), Hangul and Braille fillers
 * that render as blank letters (U+115F, U+1160, U+3164, U+FFA0, U+2800, U+17B4/5), and tag characters
 * (U+E0000–U+E007F). U+200C and U+200D stay: Persian, Indic scripts and emoji sequences need them.
 */
const invisible =
  // eslint-disable-next-line no-misleading-character-class -- each code point is listed alone on purpose
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;
/** C0 and C1 controls and DEL (tabs and line breaks become spaces below). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f]/g;

/** Display names (subjects, senders, header values) are cut here. */
export const MAX_DISPLAY_CHARS = 1000;

/** `value` without the invisible characters above (nothing else changed). */
export function withoutInvisible(value: string): string {
  return value.replace(invisible, '');
}

/**
 * The one sanitizer for names shown to the reader — the list, the reader's headers, attachment
 * buttons and download names: no invisible or control characters, whitespace collapsed, at most
 * `max` characters (then an ellipsis). React escapes the result, so markup in it stays text.
 */
export function displayName(value: string, max: number = MAX_DISPLAY_CHARS): string {
  const text = withoutInvisible(value).replace(controls, ' ').replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  // Do not split a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
