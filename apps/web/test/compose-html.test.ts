// @vitest-environment jsdom
// The formatted editor's HTML: the text/plain alternative derived from it, plain text made HTML, and
// hostile HTML (pasted, or in a draft) through the received-mail sanitizer before it is kept or sent.
import { describe, expect, it } from 'vitest';
import { quote } from '../src/compose/fields.js';
import { htmlToText, losesFormatting, safeComposeHtml, textToHtml } from '../src/compose/html/index.js';
import { sanitizeInPage, type SanitizeHtml } from '../src/mime/sanitizer-client.js';

describe('the text/plain alternative of composed HTML', () => {
  it('paragraphs, lines, bold and italic as words', () => {
    expect(htmlToText('<p>Hello <b>Ana</b>,</p><p>line one<br>line <i>two</i></p>')).toBe(
      'Hello Ana,\n\nline one\nline two\n',
    );
    // What Chromium's contenteditable makes of Enter: a div a line, an empty one a blank line.
    expect(htmlToText('first<div>second</div><div><br></div><div>fourth</div>')).toBe(
      'first\nsecond\n\nfourth\n',
    );
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<div><br></div>')).toBe('');
    expect(htmlToText('  spaced \n  out  ')).toBe('spaced out\n');
  });

  it('lists as "- " and "1. ", nested ones indented', () => {
    expect(htmlToText('<ul><li>milk</li><li>bread<ul><li>rye</li></ul></li></ul>')).toBe(
      '- milk\n- bread\n  - rye\n',
    );
    expect(htmlToText('<ol><li>one</li><li>two<br>more</li></ol><ol start="7"><li>seven</li></ol>')).toBe(
      '1. one\n2. two\n   more\n7. seven\n',
    );
    // Chromium's Indent puts the nested list straight in the list.
    expect(htmlToText('<ul><li>a</li><ul><li>b</li></ul></ul>')).toBe('- a\n  - b\n');
  });

  it('links as "text <url>", the URL alone when it is the text', () => {
    expect(htmlToText('See <a href="https://example.org/x">the page</a>.')).toBe(
      'See the page <https://example.org/x>.\n',
    );
    expect(htmlToText('<a href="https://example.org/">https://example.org/</a>')).toBe(
      'https://example.org/\n',
    );
    expect(htmlToText('<a href="mailto:ana@example.org">ana@example.org</a>')).toBe('ana@example.org\n');
    expect(htmlToText('<a href="mailto:ana@example.org">Ana</a>')).toBe('Ana <mailto:ana@example.org>\n');
    expect(htmlToText('<a>no address</a>')).toBe('no address\n');
  });

  it('quotes with "> ", nested ones ">>", as the plain editor quotes', () => {
    expect(htmlToText('<p>Yes.</p><blockquote><p>Lunch?</p><blockquote>Noon</blockquote></blockquote>')).toBe(
      'Yes.\n\n> Lunch?\n>\n>> Noon\n',
    );
    expect(htmlToText('<blockquote><ul><li>a</li></ul></blockquote>')).toBe('> - a\n');
  });

  it('drops what is not text: scripts, styles, the head; images by their alt text; rules as a line', () => {
    expect(
      htmlToText(
        '<head><title>t</title><style>p{}</style></head><p>a<img alt="[logo]" src="data:,">b</p><hr><p>c</p>',
      ),
    ).toBe('a[logo]b\n\n----\n\nc\n');
  });
});

describe('plain text made HTML (switching to formatted text)', () => {
  it('paragraphs, line breaks, kept spaces and a quote as a blockquote', () => {
    expect(textToHtml('Hi <Ana> & co,\n\nline\nnext\n')).toBe(
      '<p>Hi &lt;Ana&gt; &amp; co,</p><p>line<br>next</p>',
    );
    expect(textToHtml('-- \nDémo')).toBe('<p>--&nbsp;<br>Démo</p>');
    expect(textToHtml('  two  spaces')).toBe('<p>&nbsp;&nbsp;two&nbsp; spaces</p>');
    expect(textToHtml('On Monday, Ana wrote:\n> Lunch?\n>> Noon\n')).toBe(
      '<p>On Monday, Ana wrote:</p><blockquote><p>Lunch?</p><blockquote><p>Noon</p></blockquote></blockquote>',
    );
    expect(textToHtml('')).toBe('');
  });

  it('a reply in plain text, made formatted and derived again, reads as it did', () => {
    const reply = `Yes, at noon.\n\nOn Tue, Ana <ana@example.org> wrote:\n${quote('Lunch?\n\n> earlier\nBye')}\n\n-- \nDémo\n`;
    const back = htmlToText(textToHtml(reply));
    // Every quoted line keeps its level; the attribution, and the line after a nested quote, stand
    // in paragraphs of their own (a blank line before them).
    expect(back).toBe(
      'Yes, at noon.\n\nOn Tue, Ana <ana@example.org> wrote:\n\n> Lunch?\n>\n>> earlier\n>\n> Bye\n\n-- \nDémo\n',
    );
  });

  it('says when plain text would lose formatting', () => {
    expect(losesFormatting('<p>a</p><div>b<br></div><blockquote>c</blockquote>')).toBe(false);
    expect(losesFormatting('<p>a <b>bold</b></p>')).toBe(true);
    expect(losesFormatting('<a href="https://example.org">x</a>')).toBe(true);
    expect(losesFormatting('<ul><li>x</li></ul>')).toBe(true);
  });
});

describe('hostile HTML through the received-mail sanitizer', () => {
  /** The page's sanitizer, counting its calls: the same sanitizeMessageHtml the frame runs. */
  const counted = () => {
    const calls: string[] = [];
    const sanitize: SanitizeHtml = (html, options) => {
      calls.push(html);
      expect(options.allowRemote).toBe(false);
      return sanitizeInPage(html, options);
    };
    return { sanitize, calls };
  };

  const hostile = [
    '<!--StartFragment--><p id="x" class="dialog" style="position:fixed;inset:0">Hi <b onclick="alert(1)">there</b></p>',
    '<script>alert(1)</script><img src="x" onerror="alert(2)">',
    '<a href="javascript:alert(3)">click</a> <a href=" JaVaScRiPt:alert(4)">again</a>',
    '<a href="https://example.org/ok" onmouseover="alert(5)">fine</a>',
    '<img src="https://tracker.example/pixel.gif" alt="pixel"><img srcset="https://tracker.example/a.png 2x">',
    '<div style="background:url(https://tracker.example/bg.png)">bg</div>',
    '<style>@import url(https://tracker.example/x.css); body{display:none}</style>',
    '<iframe src="https://example.org"></iframe><object data="x"></object><embed src="x">',
    '<svg><script>alert(6)</script><a xlink:href="javascript:alert(7)">s</a></svg>',
    '<math><mtext><img src=x onerror=alert(8)></mtext></math>',
    '<form action="https://evil.example"><input name="p"><button formaction="https://evil.example">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">',
  ].join('');

  it('keeps the text, safe links and data: images; nothing scriptable, remote or styled', async () => {
    const { sanitize, calls } = counted();
    const safe = await safeComposeHtml(hostile, sanitize);
    expect(calls).toEqual([hostile]);
    const body = new DOMParser().parseFromString(safe, 'text/html').body;
    expect(
      body.querySelectorAll(
        'script, style, iframe, object, embed, svg, math, form, input, button, meta, base, link',
      ),
    ).toHaveLength(0);
    for (const element of body.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) {
        expect(attribute).not.toMatch(/^on|^(?:id|class|style|srcset|formaction|action|xlink:href)$/);
      }
    }
    const hrefs = [...body.querySelectorAll('[href]')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://example.org/ok']);
    const sources = [...body.querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(sources).toEqual(['data:image/png;base64,iVBORw0KGgo=']);
    expect(safe).not.toMatch(/tracker\.example|evil\.example|javascript:|alert|<!--/i);
    expect(htmlToText(safe)).toContain('Hi there');
    expect(htmlToText(safe)).toContain('fine <https://example.org/ok>');
    // Sanitizing what was sanitized changes nothing (drafts are sanitized each time they are saved).
    expect(await safeComposeHtml(safe, sanitize)).toBe(safe);
  });

  it('empty stays empty, without a call', async () => {
    const { sanitize, calls } = counted();
    expect(await safeComposeHtml('  ', sanitize)).toBe('');
    expect(calls).toEqual([]);
  });
});
