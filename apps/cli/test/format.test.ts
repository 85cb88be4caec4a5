import { describe, expect, it } from 'vitest';
import { printable, printableText } from '../src/format.js';

describe('text from a message, made safe for a terminal', () => {
  it('turns escape sequences and smuggled line breaks into spaces', () => {
    expect(printable('Hi\u001b[2J there\r\nX-Injected: 1\u009b31m')).toBe('Hi [2J there  X-Injected: 1 31m');
  });

  it('drops bidi overrides and isolates, so a subject cannot reorder the columns', () => {
    expect(printable('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(printable('\u2067evil\u2069 \u202aa\u202c')).toBe('evil a');
    expect(printable('שלום')).toBe('שלום');
  });

  it('keeps line breaks and tabs in bodies, still without escape sequences', () => {
    expect(printableText('a\r\nb\tc\u001b[0m')).toBe('a\nb\tc [0m');
  });
});
