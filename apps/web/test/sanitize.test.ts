// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  dataUrl,
  decodeCssEscapes,
  messageContentSecurityPolicy,
  messageSandbox,
  sanitizeMessageHtml,
} from '../src/mime/sanitize.js';

function body(html: string, allowRemote = false, inline = new Map<string, string>()) {
  const result = sanitizeMessageHtml(html, { allowRemote, inlineImages: inline });
  const doc = new DOMParser().parseFromString(result.document, 'text/html');
  return { ...result, doc };
}

describe('sanitizing message HTML', () => {
  it('removes scripts, event handlers and javascript: URLs', () => {
    const { document, doc } = body(
      '<p onclick="alert(1)">hi</p><script>alert(2)</script><img src="x" onerror="alert(3)">' +
        '<a href="javascript:alert(4)">bad</a><a href="JaVaScRiPt:alert(5)">bad2</a>' +
        '<svg><script>alert(6)</script></svg><iframe src="https://evil.example"></iframe>' +
        '<object data="x"></object><embed src="x"><form action="https://evil.example"><input name=a></form>' +
        '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">' +
        '<link rel="stylesheet" href="https://evil.example/x.css">',
    );
    expect(document).not.toMatch(
      /alert\(|onerror|onclick|javascript:|<iframe|<object|<embed|<form|<svg|refresh/i,
    );
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('base, link')).toHaveLength(0);
    expect(doc.querySelector('p')?.textContent).toBe('hi');
    for (const anchor of doc.querySelectorAll('a')) expect(anchor.getAttribute('href')).toBeNull();
  });

  it('carries its own CSP and referrer policy at the start of the head', () => {
    const { doc } = body('<p>x</p>');
    const metas = [...doc.head.querySelectorAll('meta')];
    const csp = metas.find((meta) => meta.getAttribute('http-equiv') === 'Content-Security-Policy');
    expect(csp?.getAttribute('content')).toBe(
      "default-src 'none'; img-src data: cid: blob:; style-src 'unsafe-inline'",
    );
    expect(doc.head.firstElementChild?.getAttribute('charset')).toBe('utf-8');
    expect(metas.find((meta) => meta.getAttribute('name') === 'referrer')?.getAttribute('content')).toBe(
      'no-referrer',
    );
    expect(messageContentSecurityPolicy(true)).toBe(
      "default-src 'none'; img-src data: cid: blob: https: http:; style-src 'unsafe-inline'",
    );
    expect(messageSandbox).not.toMatch(/allow-scripts|allow-same-origin/);
    expect(messageSandbox).toContain('allow-popups');
  });

  it('blocks remote images, tracking pixels, srcsets, CSS url()s and @imports until allowed', () => {
    const html =
      '<html><head><style>@import url("https://t.example/a.css"); body{background:url(https://t.example/bg.png)}</style></head>' +
      '<body><img src="https://t.example/pic.jpg" alt="pic">' +
      '<img src="http://t.example/open.gif?u=1" width="1" height="1">' +
      '<img srcset="https://t.example/a.png 1x, https://t.example/b.png 2x">' +
      '<div style="background-image: url(\'//t.example/c.png\')">x</div>' +
      '<table background="https://t.example/d.png"><tr><td>y</td></tr></table>' +
      '<img src="/relative.png"></body></html>';
    const blocked = body(html);
    expect(blocked.document).not.toContain('t.example');
    expect(blocked.document).not.toContain('relative.png');
    expect(blocked.blockedRemote).toBe(7);
    expect(blocked.doc.querySelectorAll('img[data-webpop-blocked]')).toHaveLength(2);
    expect(blocked.doc.querySelector('img[alt="pic"]')).not.toBeNull();

    const allowed = body(html, true);
    expect(allowed.blockedRemote).toBe(0);
    expect(allowed.doc.querySelector('img[alt="pic"]')?.getAttribute('src')).toBe(
      'https://t.example/pic.jpg',
    );
    expect(allowed.document).toContain('https://t.example/bg.png');
    expect(allowed.document).toContain('https://t.example/c.png'); // protocol-relative → https
    expect(allowed.doc.querySelector('img[srcset]')).not.toBeNull();
    expect(allowed.document).not.toContain('relative.png');
  });

  it('inlines cid: images as data: URLs', () => {
    const png = dataUrl(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer, 'image/png');
    expect(png).toBe('data:image/png;base64,iVBORw==');
    const { doc, blockedRemote } = body(
      '<img src="cid:logo@example" alt="logo"><img src="cid:missing@example" alt="missing">',
      false,
      new Map([['logo@example', png]]),
    );
    expect(doc.querySelector('img[alt="logo"]')?.getAttribute('src')).toBe(png);
    expect(doc.querySelector('img[alt="missing"]')?.getAttribute('src')).toBeNull();
    expect(blockedRemote).toBe(0);
  });

  it('opens links in a new tab without opener or referrer', () => {
    const { doc } = body(
      '<a href="https://example.org/x">x</a><a href="mailto:a@b">m</a><a href="#top">t</a>',
    );
    const [web, mail, anchor] = [...doc.querySelectorAll('a')];
    expect(web?.getAttribute('target')).toBe('_blank');
    expect(web?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(mail?.getAttribute('target')).toBe('_blank');
    expect(anchor?.getAttribute('target')).toBeNull();
    const relative = body(
      '<a href="relative/page">r</a><a href="//example.org/p">p</a><a href="ftp://x">f</a>',
    );
    const [rel, protocolRelative, ftp] = [...relative.doc.querySelectorAll('a')];
    expect(rel?.hasAttribute('href')).toBe(false);
    expect(protocolRelative?.getAttribute('href')).toBe('https://example.org/p');
    expect(ftp?.hasAttribute('href')).toBe(false);
  });

  it('keeps the message styles and layout', () => {
    const { doc } = body(
      '<html><head><style>.x{color:red}</style></head><body bgcolor="#eee"><table><tr><td class="x">a</td></tr></table></body></html>',
    );
    expect(doc.querySelector('style:not(:first-of-type)')?.textContent ?? doc.head.innerHTML).toContain(
      '.x{color:red}',
    );
    expect(doc.querySelector('td.x')?.textContent).toBe('a');
  });

  it('allows remote images only: never media, frames, tracks or style sheets, even after "Show images"', () => {
    const html =
      '<style>@import url(https://t.example/a.css)</style>' +
      '<video src="https://t.example/v.mp4" poster="https://t.example/poster.png"><source src="https://t.example/s.mp4">' +
      '<track src="https://t.example/t.vtt"></video><audio src="https://t.example/a.mp3"></audio>' +
      '<input type="image" src="https://t.example/button.png"><img src="https://t.example/pic.png">';
    for (const allowRemote of [false, true]) {
      const { document } = body(html, allowRemote);
      expect(document).not.toMatch(/a\.css|v\.mp4|s\.mp4|t\.vtt|a\.mp3/);
      expect(document.includes('poster.png')).toBe(allowRemote);
      expect(document.includes('button.png')).toBe(allowRemote);
      expect(document.includes('pic.png')).toBe(allowRemote);
    }
  });

  it('sees through CSS escapes and image-set()', () => {
    expect(decodeCssEscapes('\\75 rl(x) \\000075rl(y) \\u\\r\\l(z)')).toBe('url(x) url(y) url(z)');
    expect(decodeCssEscapes('a\\0 b\\110000')).toBe('a\ufffdb\ufffd');
    const html =
      '<style>p{background:\\75 rl(https://t.example/escaped.png)}' +
      'div{background-image:image-set("https://t.example/set.png" 1x, url(https://t.example/set2.png) 2x)}</style>' +
      '<p style="background:\\75 \\72 \\6c (https://t.example/inline.png)">x</p>' +
      '<div style="background-image:-webkit-image-set(\'https://t.example/webkit.png\' 1x)">y</div>';
    const blocked = body(html);
    expect(blocked.document).not.toContain('t.example');
    expect(blocked.blockedRemote).toBeGreaterThanOrEqual(4);
    const allowed = body(html, true);
    expect(allowed.document).toContain('https://t.example/escaped.png');
    expect(allowed.document).toContain('https://t.example/set.png');
  });

  it("marks the search hit's words in the text only, and adds nothing but bare <mark>s", () => {
    const html =
      '<p title="Grüße">Viele <b>Grüße</b> aus der Straße</p><a href="https://x.example/grusse">grusse</a>' +
      '<style>.grusse{color:red}</style><script>var grusse=1</script><textarea>grusse</textarea>';
    const result = sanitizeMessageHtml(html, { allowRemote: false, highlight: ['grusse', 'strasse'] });
    const doc = new DOMParser().parseFromString(result.document, 'text/html');
    const marks = [...doc.querySelectorAll('mark')];
    expect(marks.map((mark) => mark.textContent)).toEqual(['Grüße', 'Straße', 'grusse']);
    expect(marks.every((mark) => mark.attributes.length === 0 && mark.children.length === 0)).toBe(true);
    expect(doc.querySelector('p')!.getAttribute('title')).toBe('Grüße');
    expect(doc.querySelector('a')!.getAttribute('href')).toBe('https://x.example/grusse');
    expect(doc.querySelector('body style')!.textContent).toBe('.grusse{color:red}');
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelector('p')!.textContent).toBe('Viele Grüße aus der Straße');
    // A word that looks like markup stays text.
    const tricky = sanitizeMessageHtml('<p>&lt;img src=x onerror=alert(1)&gt; zeppelin</p>', {
      allowRemote: false,
      highlight: ['img', 'zeppelin'],
    });
    expect(tricky.document).not.toMatch(/<img/i);
    expect(tricky.document).toContain(
      '&lt;<mark>img</mark> src=x onerror=alert(1)&gt; <mark>zeppelin</mark>',
    );
    expect(sanitizeMessageHtml('<p>zeppelin</p>', { allowRemote: false }).document).not.toContain('<mark>');
  });
});
