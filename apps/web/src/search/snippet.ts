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

/**
 * Where a snippet line starts when a search marks a word in it at `hit`: as it is while the hit is
 * among its first `visible` characters, else a few words before the hit, after an ellipsis — the
 * row shows about 70 characters, and a hit past them showed only as a marked "…" (seen in the German
 * search e2e screenshot: "Viele Grüße aus…" for a hit on München).
 */
export function leadToHit(text: string, hit: number, visible = 40): { from: number; ellipsis: boolean } {
  if (hit <= visible) return { from: 0, ellipsis: false };
  const before = text.lastIndexOf(' ', Math.max(0, hit - 20));
  const from = before === -1 || before >= hit ? hit : before + 1;
  return { from, ellipsis: true };
}
