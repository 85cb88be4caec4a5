import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { headerFieldTexts, ownSlice } from '../src/message.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('ownSlice (a header field that does not keep its whole block alive)', () => {
  it('is the same text as slice, at every length and edge', () => {
    const text = 'Subject: caf\u00e9 \u{1F600} and a longer tail of plain words\r\n';
    for (let start = 0; start <= text.length; start += 3)
      for (let end = start; end <= text.length; end += 5)
        expect(ownSlice(text, start, end)).toBe(text.slice(start, end));
    expect(ownSlice(text, 0, text.length)).toBe(text);
    expect(ownSlice('', 0, 0)).toBe('');
  });

  it('keeps only the slice: 2,000 kept fields of 64 KB texts hold far less than the texts', () => {
    // A plain slice is a view into its text in V8: these 2,000 fields would keep 128 MB.
    const texts = 2000;
    const size = 64 * 1024;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[] = [];
    for (let index = 0; index < texts; index++) {
      const text = `${String(index).padStart(8, '0')}${'x'.repeat(size)}`;
      kept.push(ownSlice(text, 0, 40));
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(kept[1234]!.startsWith('00001234')).toBe(true);
    expect(grown).toBeLessThan((texts * size) / 8);
  });

  it('makes the fields of an all-ASCII header block texts of their own, equal to the block cut', () => {
    const block = 'From: a@example.org\r\nSubject: a subject long enough to be a slice\r\n\r\nbody';
    const fields = headerFieldTexts(new TextEncoder().encode(block));
    expect(fields).toEqual(['From: a@example.org\r\n', 'Subject: a subject long enough to be a slice\r\n']);
  });
});
