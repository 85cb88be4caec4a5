import { describe, expect, it } from 'vitest';
import { documentFromParsed } from '../src/search/document.js';
import { searchLimits } from '../src/search/limits.js';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Highlight } from '../src/search/Highlight.js';
import { leadToHit, snippetOf } from '../src/search/snippet.js';
import { previewOfTop } from '../src/mime/list-preview.js';
import type { StoredMessage } from '../src/mailstore/index.js';
import type { ParsedMessage } from '../src/mime/types.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('snippet line', () => {
  it('collapses white space, trims, and stops at the line length', () => {
    expect(snippetOf('  Hello,\r\n\r\n\tworld.  ')).toBe('Hello, world.');
    const long = snippetOf('word '.repeat(200));
    expect(long.length).toBe(searchLimits.snippetChars);
    expect(long.startsWith('word word')).toBe(true);
  });

  it('still finds the words behind a long indentation', () => {
    // More white space than twice the line: a shorter window would give an empty line.
    expect(snippetOf(`${' \r\n'.repeat(150)}Dear Ada,`)).toBe('Dear Ada,');
  });

  it('is the same line for a kept message and for one kept as headers only (TOP n 10)', () => {
    const text = 'Dear Ada,\r\n\r\n   the   engine\r\nis ready.\r\n';
    const parsed = { text, html: undefined, attachments: [], to: [], cc: [] } as unknown as ParsedMessage;
    const record = { uid: 'u', size: 100, storedBytes: 100 } as unknown as StoredMessage;
    const kept = documentFromParsed(record, parsed).snippet;
    const top = previewOfTop({
      fields: [['content-type', 'text/plain; charset=utf-8']],
      body: encode(text),
    }).text;
    expect(kept).toBe('Dear Ada, the engine is ready.');
    expect(top).toBe(kept);
  });
});

describe('snippet line around a hit', () => {
  const text = 'Guten Tag, anbei die Rechnung für März über 42 Euro. Viele Grüße aus München';

  it('starts as it is while the hit is in sight', () => {
    expect(leadToHit(text, text.indexOf('Rechnung'))).toEqual({ from: 0, ellipsis: false });
  });

  it('starts a few words before a hit past the sight, at a word', () => {
    const { from, ellipsis } = leadToHit(text, text.indexOf('München'));
    expect(ellipsis).toBe(true);
    expect(text.slice(from)).toBe('Euro. Viele Grüße aus München');
  });

  it('marks the hit after an ellipsis in the list row', () => {
    const html = renderToStaticMarkup(createElement(Highlight, { text, terms: ['munchen'], lead: true }));
    expect(html).toBe('… Euro. Viele Grüße aus <mark>München</mark>');
    // Without lead (the subject, the opened message): the whole text.
    const whole = renderToStaticMarkup(createElement(Highlight, { text, terms: ['munchen'] }));
    expect(whole.startsWith('Guten Tag')).toBe(true);
  });
});
