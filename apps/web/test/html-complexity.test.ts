import { describe, expect, it } from 'vitest';
import { htmlTooComplex } from '../src/mime/html-complexity.js';
import { mimeLimits } from '../src/mime/limits.js';
import { parseMessage } from '../src/mime/parse.js';

const nested = (tag: string, count: number) => `<${tag}>`.repeat(count) + 'x' + `</${tag}>`.repeat(count);

function htmlMessage(html: string, text?: string): Uint8Array {
  const head = 'From: a@example.test\r\nSubject: html\r\nMIME-Version: 1.0\r\n';
  const body =
    text === undefined
      ? `Content-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`
      : 'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n' +
        `--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n` +
        `--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n--alt--\r\n`;
  return new TextEncoder().encode(head + body);
}

describe('HTML complexity (issue 22: deeply nested HTML froze the tab)', () => {
  it('lets ordinary mail through: nested tables, and unclosed <p>, <li> and <td> the parser closes itself', () => {
    const table = '<table><tr><td>'.repeat(20) + 'cell' + '</td></tr></table>'.repeat(20);
    const list = `<ul>${'<li>item <p>para'.repeat(2000)}</ul>`;
    const grid = `<table>${'<tr><td>a<td>b'.repeat(1000)}</table>`;
    for (const html of [table, list, grid]) expect(htmlTooComplex(html)).toBeUndefined();
  });

  it('stops the adversarial shapes at the depth limit: 60,000 nested <b>, 150,000 nested <div>', () => {
    const depth = { reason: 'depth', limit: mimeLimits.maxHtmlDepth };
    expect(htmlTooComplex(nested('b', 60_000))).toEqual(depth);
    expect(htmlTooComplex(nested('div', 150_000))).toEqual(depth);
  });

  it('counts the depth as the browser builds it, not as the tags are written', () => {
    const limits = { maxDepth: 100, maxElements: 100_000 };
    // A misnested </b> does not close the <div> inside it: each <div> stays open (adoption agency).
    expect(htmlTooComplex('<b><div></b>'.repeat(200), limits)).toEqual({ reason: 'depth', limit: 100 });
    // A stray end tag for an element that is not open closes nothing; a matching one closes all above it.
    expect(htmlTooComplex('<div><span></i>'.repeat(60), limits)).toEqual({ reason: 'depth', limit: 100 });
    expect(htmlTooComplex('<div><span><i></div>'.repeat(1000), limits)).toBeUndefined();
    expect(htmlTooComplex(nested('div', 95), limits)).toBeUndefined();
  });

  it('stops at the element limit, void elements counted', () => {
    const limits = { maxDepth: 100, maxElements: 1000 };
    expect(htmlTooComplex('<br>'.repeat(990), limits)).toBeUndefined();
    expect(htmlTooComplex('<br>'.repeat(1000), limits)).toEqual({ reason: 'elements', limit: 1000 });
    expect(htmlTooComplex('<div>x</div>'.repeat(mimeLimits.maxHtmlElements))).toEqual({
      reason: 'elements',
      limit: mimeLimits.maxHtmlElements,
    });
  });

  it('the MIME worker withholds an HTML body over a limit and keeps the plain-text alternative', async () => {
    const parsed = await parseMessage(htmlMessage(nested('b', 60_000), 'the plain version'));
    expect(parsed.html).toBeUndefined();
    expect(parsed.htmlTooComplex).toEqual({ reason: 'depth', limit: mimeLimits.maxHtmlDepth });
    expect(parsed.text).toContain('the plain version');
    const ordinary = await parseMessage(htmlMessage('<p>Hello <b>there</b></p>'));
    expect(ordinary.html).toContain('<b>there</b>');
    expect(ordinary.htmlTooComplex).toBeUndefined();
  });
});
