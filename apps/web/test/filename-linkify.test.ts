// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { downloadBytes } from '../src/lib/download.js';
import { sanitizeFilename } from '../src/lib/filename.js';
import { linkify } from '../src/mime/linkify.js';

describe('file names for downloads', () => {
  it('keeps ordinary and non-ASCII names', () => {
    expect(sanitizeFilename('report.pdf')).toBe('report.pdf');
    expect(sanitizeFilename('Übersicht – März.txt')).toBe('Übersicht – März.txt');
    expect(sanitizeFilename('отчёт.docx')).toBe('отчёт.docx');
  });

  it('drops paths, separators, reserved characters and control characters', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\me\\evil.exe')).toBe('evil.exe');
    expect(sanitizeFilename('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(sanitizeFilename('line\r\nbreak\u0000.txt')).toBe('linebreak.txt');
  });

  it('removes bidirectional overrides that disguise extensions', () => {
    expect(sanitizeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFilename('a\u200Bb.txt')).toBe('ab.txt');
  });

  it('handles dots, blanks, reserved device names and long names', () => {
    expect(sanitizeFilename('...hidden')).toBe('hidden');
    expect(sanitizeFilename('name.txt. . ')).toBe('name.txt');
    expect(sanitizeFilename('CON.txt')).toBe('_CON.txt');
    expect(sanitizeFilename('lpt1')).toBe('_lpt1');
    expect(sanitizeFilename('')).toBe('attachment');
    expect(sanitizeFilename(null, 'part-2')).toBe('part-2');
    expect(sanitizeFilename('/')).toBe('attachment');
    const long = sanitizeFilename(`${'x'.repeat(400)}.pdf`);
    expect(long.length).toBe(150);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('downloads byte-exact through an application/octet-stream Blob', async () => {
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test/1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push(this);
    });
    const bytes = new Uint8Array([0, 255, 13, 10, 0x25, 0x50, 0x44, 0x46]);
    downloadBytes(bytes.buffer, '../<script>.html');
    expect(blobs[0]?.type).toBe('application/octet-stream');
    expect(new Uint8Array(await blobs[0]!.arrayBuffer())).toEqual(bytes);
    expect(clicks[0]?.download).toBe('_script_.html');
    expect(clicks[0]?.getAttribute('href')).toBe('blob:test/1');
    expect(document.querySelector('a[download]')).toBeNull();
    create.mockRestore();
    revoke.mockRestore();
    click.mockRestore();
  });
});

describe('plain text links', () => {
  it('finds http(s), www. and e-mail links and leaves the rest as text', () => {
    expect(linkify('See https://example.org/a?b=1, or www.example.com. Mail bob@example.org!')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'www.example.com', href: 'https://www.example.com' },
      { kind: 'text', text: '. Mail ' },
      { kind: 'link', text: 'bob@example.org', href: 'mailto:bob@example.org' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('keeps markup as text and never links other schemes', () => {
    const segments = linkify('<script>alert(1)</script> javascript:alert(2) data:text/html,x');
    expect(segments).toEqual([
      { kind: 'text', text: '<script>alert(1)</script> javascript:alert(2) data:text/html,x' },
    ]);
    const quoted = linkify('"https://example.org/x"><img src=x onerror=alert(1)>');
    expect(quoted.find((segment) => segment.kind === 'link')?.href).toBe('https://example.org/x');
  });

  it('balances brackets', () => {
    expect(linkify('(see https://en.wikipedia.org/wiki/POP_(protocol))')[1]).toEqual({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/POP_(protocol)',
      href: 'https://en.wikipedia.org/wiki/POP_(protocol)',
    });
  });
});
