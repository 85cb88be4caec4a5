// @vitest-environment happy-dom
// One sanitizer for the names a reader sees: list, reader, attachment buttons and download names, over
// every invisible code point the issue listed (and its neighbours).
import { describe, expect, it } from 'vitest';
import { displayName } from '../src/lib/display-name.js';
import { sanitizeFilename } from '../src/lib/filename.js';
import { summarizeHeaders } from '../src/mime/headers.js';

const invisible: Record<string, string> = {
  'U+200B zero width space': '\u200b',
  'U+200E left-to-right mark': '\u200e',
  'U+200F right-to-left mark': '\u200f',
  'U+061C Arabic letter mark': '\u061c',
  'U+202E right-to-left override': '\u202e',
  'U+2066 left-to-right isolate': '\u2066',
  'U+2060 word joiner': '\u2060',
  'U+FEFF byte order mark': '\ufeff',
  'U+00AD soft hyphen': '\u00ad',
  'U+034F combining grapheme joiner': '\u034f',
  'U+3164 Hangul filler': '\u3164',
  'U+FFA0 halfwidth Hangul filler': '\uffa0',
  'U+115F Hangul choseong filler': '\u115f',
  'U+1160 Hangul jungseong filler': '\u1160',
  'U+2800 Braille blank': '\u2800',
  'U+180E Mongolian vowel separator': '\u180e',
  'U+E0041 tag A': '\u{e0041}',
  'U+E007F cancel tag': '\u{e007f}',
};

describe('displayName', () => {
  for (const [name, char] of Object.entries(invisible)) {
    it(`drops ${name} in the list, the reader and file names`, () => {
      const hidden = `Invoice${char.repeat(40)}.pdf${char}`;
      expect(displayName(hidden)).toBe('Invoice.pdf');
      expect(sanitizeFilename(`invoice${char.repeat(200)}.exe`)).toBe('invoice.exe');
      const headers = summarizeHeaders(
        new TextEncoder().encode(`From: Boss${char} <boss@example.org>\r\nSubject: Pay${char} now\r\n\r\n`),
      );
      expect(headers.subject).toBe('Pay now');
      expect(headers.from?.name).toBe('Boss');
    });
  }

  it('keeps what scripts and emoji need: ZWNJ, ZWJ and variation selectors', () => {
    expect(displayName('می\u200cخواهم')).toBe('می\u200cخواهم');
    expect(displayName('👨\u200d👩\u200d👧 ❤\ufe0f')).toBe('👨\u200d👩\u200d👧 ❤\ufe0f');
  });

  it('turns controls and odd spaces into one space and cuts long names', () => {
    expect(displayName('a\u0000b\tc\u2028d\u3000\u00a0e')).toBe('a b c d e');
    expect(displayName('x'.repeat(20), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('the list reads at most 64 KiB of a header block', () => {
  it('cuts at 64 KiB, summarizes what it kept and says so', () => {
    const huge = `From: ${'a,'.repeat(600_000)}\r\n`;
    const bytes = new TextEncoder().encode(
      `Subject: hello\r\n${huge}Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n`,
    );
    const summary = summarizeHeaders(bytes);
    expect(summary.subject).toBe('hello');
    expect(summary.headersCut).toEqual({ shown: 64 * 1024, total: bytes.length });
    expect(summary.from?.address).toBe('a');
    expect(summary.date).toBeUndefined(); // beyond the cut
    const small = summarizeHeaders(new TextEncoder().encode('Subject: hi\r\n\r\n'));
    expect(small.headersCut).toBeUndefined();
  });
});
