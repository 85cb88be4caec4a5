import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textBlocks } from '../src/components/reader/text-blocks.js';
import { linkify, type TextSegment } from '../src/mime/linkify.js';

const joined = (segments: readonly TextSegment[]) => segments.map((segment) => segment.text).join('');
const texts = (text: string, max: number) => textBlocks(linkify(text), max).map((b) => joined(b.segments));

describe('plain text in blocks for layout', () => {
  it('keeps a short body in one block, exactly', () => {
    const blocks = textBlocks(linkify('Hello\nsee https://example.org/ now'));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.segments).toEqual(linkify('Hello\nsee https://example.org/ now'));
  });

  it('cuts after a newline in the second half of a block, else at the size', () => {
    expect(texts('aaaa\nbbbb\ncc', 8)).toEqual(['aaaa\n', 'bbbb\ncc']);
    expect(texts('a\nbbbbbbbbbbbb', 8)).toEqual(['a\nbbbbbb', 'bbbbbb']); // the newline is in the first half
    expect(texts('a.'.repeat(10), 8)).toEqual(['a.a.a.a.', 'a.a.a.a.', 'a.a.']);
  });

  it('never splits a surrogate pair nor a character from its combining marks', () => {
    expect(texts('aaaaaaa😀bb', 8)).toEqual(['aaaaaaa', '😀bb']);
    expect(texts('aaaaaae\u0301\u0301bb', 8)).toEqual(['aaaaaa', 'e\u0301\u0301bb']);
  });

  it('moves a link that would be cut into the next block, and cuts only a link longer than a block', () => {
    const moved = textBlocks(linkify('see https://example.org/x ok'), 12);
    expect(moved.map((b) => joined(b.segments))).toEqual(['see ', 'https://exam', 'ple.org/x ok']);
    const href = 'https://example.org/x';
    expect(moved.flatMap((b) => b.segments.filter((s) => s.kind === 'link'))).toEqual([
      { kind: 'link', text: 'https://exam', href },
      { kind: 'link', text: 'ple.org/x', href },
    ]);
    const fits = textBlocks(linkify('some words and a https://e.org/ link'), 24);
    expect(fits.map((b) => joined(b.segments))).toEqual(['some words and a ', 'https://e.org/ link']);
  });

  it('estimates each block’s lines (its height until shown)', () => {
    expect(textBlocks(linkify('one\ntwo\n')).map((b) => b.lines)).toEqual([2]);
    expect(textBlocks(linkify('x'.repeat(250))).map((b) => b.lines)).toEqual([3]);
  });

  it('joined, the blocks are the body exactly, none longer than the size, links intact', () => {
    const piece = fc.constantFrom(
      'a',
      '.',
      ' ',
      '\n',
      'é',
      'e\u0301',
      '😀',
      'https://x.org/p',
      'b@c.de',
      '(',
      ')',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 4, max: 40 }), (pieces, max) => {
        const text = pieces.join('');
        const segments = linkify(text);
        const blocks = textBlocks(segments, max);
        expect(blocks.map((b) => joined(b.segments)).join('')).toBe(text);
        for (const block of blocks) {
          expect(joined(block.segments).length).toBeLessThanOrEqual(max);
          expect(block.segments.every((s) => s.text.length > 0)).toBe(true);
        }
        // Link pieces cover exactly the links' characters, each with its link's href.
        const links = (all: readonly TextSegment[]) =>
          all.flatMap((s) => (s.kind === 'link' ? [...s.text].map(() => s.href) : []));
        expect(links(blocks.flatMap((b) => b.segments))).toEqual(links(segments));
      }),
    );
  });
});
