import { mimeLimits } from '../../mime/limits.js';
import type { TextSegment } from '../../mime/linkify.js';

/** A piece of a plain-text body laid out on its own: its text and links, and its estimated lines. */
export interface TextBlock {
  readonly segments: readonly TextSegment[];
  /** Lines it takes at about `charsPerLine` characters a line: its height until it is laid out. */
  readonly lines: number;
}

/** An estimate for the reader's width; a block's real height replaces it once the block is shown. */
const charsPerLine = 100;
/** How far a cut moves back to keep a character with its combining marks (then it cuts anyway). */
const maxMarkBacktrack = 32;
/** A trail surrogate, a combining mark (variation selectors too) or a zero-width joiner. */
function continuesCharacter(text: string, at: number): boolean {
  const unit = text.charCodeAt(at);
  return (unit >= 0xdc00 && unit <= 0xdfff) || unit === 0x200d || /\p{M}/u.test(text[at]!);
}

/** Where the block starting at `from` ends: after its last newline if that is in its second half. */
function cutAfter(text: string, from: number, maxChars: number): number {
  const end = from + maxChars;
  if (end >= text.length) return text.length;
  const newline = text.lastIndexOf('\n', end - 1);
  if (newline >= from + maxChars / 2) return newline + 1;
  let cut = end;
  // Not inside a surrogate pair, nor between a character and its combining marks or joiners.
  while (cut > end - maxMarkBacktrack && continuesCharacter(text, cut)) cut--;
  return cut > end - maxMarkBacktrack ? cut : end;
}

function estimatedLines(text: string): number {
  let lines = 0;
  for (const line of text.split('\n')) lines += Math.max(1, Math.ceil(line.length / charsPerLine));
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * Splits a linked plain-text body into blocks of at most `maxChars` characters. Joined, the blocks'
 * texts are the body exactly (copying all of it gives what was sent); a link is cut only when it
 * alone is longer than a block (both halves keep its href).
 */
export function textBlocks(
  segments: readonly TextSegment[],
  maxChars: number = mimeLimits.plainTextBlockChars,
): TextBlock[] {
  const text = segments.map((segment) => segment.text).join('');
  const starts: number[] = [];
  let offset = 0;
  for (const segment of segments) {
    starts.push(offset);
    offset += segment.text.length;
  }
  const cuts: number[] = [];
  let index = 0; // the segment that holds the latest cut
  for (let from = 0; from < text.length;) {
    let cut = cutAfter(text, from, maxChars);
    while (index + 1 < segments.length && starts[index + 1]! <= cut) index++;
    const holder = segments[index];
    // A link that would be cut starts the next block instead, unless it starts this one.
    if (holder?.kind === 'link' && starts[index]! > from && starts[index]! < cut) cut = starts[index]!;
    cuts.push(cut);
    from = cut;
  }
  const blocks: TextBlock[] = [];
  let from = 0;
  let next = 0; // the first segment not wholly in earlier blocks
  for (const to of cuts) {
    const pieces: TextSegment[] = [];
    for (let i = next; i < segments.length && starts[i]! < to; i++) {
      const segment = segments[i]!;
      const end = starts[i]! + segment.text.length;
      const piece = segment.text.slice(
        Math.max(from, starts[i]!) - starts[i]!,
        Math.min(to, end) - starts[i]!,
      );
      pieces.push(segment.kind === 'link' ? { ...segment, text: piece } : { kind: 'text', text: piece });
      if (end <= to) next = i + 1;
    }
    blocks.push({ segments: pieces, lines: estimatedLines(text.slice(from, to)) });
    from = to;
  }
  return blocks;
}
