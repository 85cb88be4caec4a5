import { searchLimits } from './limits.js';

/**
 * The list's snippet line of a text: its first words, runs of white space as one space, at most
 * `searchLimits.snippetChars`. Read from a window four times that long, so a text that starts with
 * indentation or blank lines still fills the line. One helper for the indexed bodies (document.ts)
 * and for what `TOP n 10` gave of a message kept as headers only (mime/list-preview.ts).
 */
export function snippetOf(text: string): string {
  return text
    .slice(0, searchLimits.snippetChars * 4)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, searchLimits.snippetChars);
}
