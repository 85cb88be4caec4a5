// @vitest-environment jsdom
// Issue 16 in the reader: Print and the attachment previews (which kinds, how each is shown, closing).
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ParsedAttachment, ParsedMessage } from '../src/mime/types.js';
import { mimeLimits } from '../src/mime/limits.js';
import { clearPrintCopy, fillPrintCopy } from '../src/components/reader/print-copy.js';
import { pdfFrameUrl, previewKind, previewText } from '../src/components/reader/preview.js';
import { giveLayout, renderApp, signIn } from './support/render-app.js';

beforeAll(giveLayout);
afterEach(() => cleanup());

const file = (filename: string, mimeType: string, bytes: Uint8Array): ParsedAttachment => ({
  filename,
  mimeType,
  disposition: 'attachment',
  contentId: undefined,
  related: false,
  size: bytes.length,
  content: bytes.slice().buffer,
});

const withFiles: ParsedMessage = {
  subject: 'Files',
  from: { name: 'Lab', address: 'lab@example.org' },
  to: [],
  cc: [],
  replyTo: [],
  date: '2025-11-10T08:00:00.000Z',
  messageId: undefined,
  headers: [{ name: 'Subject', value: 'Files' }],
  text: 'Three files.',
  html: undefined,
  attachments: [
    file('notes.txt', 'text/plain', new TextEncoder().encode('Größe: 42')),
    file('dot.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
    file('report.pdf', 'application/pdf', new TextEncoder().encode('%PDF-1.4')),
    file('drawing.svg', 'image/svg+xml', new TextEncoder().encode('<svg/>')),
    file('data.bin', 'application/octet-stream', new Uint8Array([1, 2])),
  ],
};

describe('which attachments preview', () => {
  it('raster images, PDFs whose data: URL fits, plain text; never SVG, HTML or anything else', () => {
    const kind = (mimeType: string, size = 10) => previewKind({ mimeType, size });
    expect(['image/png', 'IMAGE/JPEG', 'image/gif', 'image/webp'].map((type) => kind(type))).toEqual([
      'image',
      'image',
      'image',
      'image',
    ]);
    expect(kind('text/plain; charset=utf-8')).toBe('text');
    expect(kind('text/csv')).toBe('text');
    expect(kind('application/pdf')).toBe('pdf');
    for (const type of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/octet-stream'])
      expect(kind(type)).toBeUndefined();
    // The data: URL of the largest PDF that previews fits Chromium's limit; 3 more bytes do not.
    const prefix = 'data:application/pdf;base64,'.length;
    const largest = Math.floor((mimeLimits.maxPdfPreviewUrlChars - prefix) / 4) * 3;
    expect(kind('application/pdf', largest)).toBe('pdf');
    expect(kind('application/pdf', largest + 1)).toBeUndefined();
    expect(pdfFrameUrl(new Uint8Array(largest).buffer).length).toBeLessThanOrEqual(
      mimeLimits.maxPdfPreviewUrlChars,
    );
  });

  it('a PDF frame gets a data: URL (an opaque origin), never a blob: of the app', () => {
    expect(pdfFrameUrl(new TextEncoder().encode('%PDF').buffer)).toBe('data:application/pdf;base64,JVBERg==');
  });

  it('text is decoded as UTF-8 and cut at the body display size', () => {
    expect(previewText(new TextEncoder().encode('Größe').buffer)).toEqual({ text: 'Größe', total: 5 });
    const long = previewText(new TextEncoder().encode('a'.repeat(mimeLimits.maxBodyChars + 5)).buffer);
    expect(long.text.length).toBe(mimeLimits.maxBodyChars);
    expect(long.total).toBe(mimeLimits.maxBodyChars + 5);
  });
});

describe('the print copy of an HTML body', () => {
  it('holds the sanitized body and its styles in a shadow root (html/body rules aimed at its wrapper), then empties', () => {
    const host = document.createElement('div');
    document.body.append(host);
    fillPrintCopy(
      host,
      '<!doctype html><html><head><style>body{padding:16px} html, p{color:red}</style></head>' +
        '<body><style>body.x{margin:0}</style><h1>Hello</h1><p>World</p></body></html>',
    );
    const root = host.shadowRoot!;
    expect(root.querySelector('.body > h1')?.textContent).toBe('Hello');
    expect([...root.querySelectorAll('style')].map((style) => style.textContent)).toEqual([
      '.body{padding:16px} .body, p{color:red}',
      '.body.x{margin:0}',
    ]);
    // The page's own elements are untouched: the copy lives only in the shadow root.
    expect(document.body.querySelector('h1')).toBeNull();
    clearPrintCopy(host);
    expect(root.childNodes).toHaveLength(0);
    host.remove();
  });
});

describe('the reader', () => {
  it('Print calls the browser print; Preview opens a named region with a focused close button', async () => {
    const print = vi.fn();
    window.print = print;
    URL.createObjectURL = vi.fn(() => 'blob:test/1');
    URL.revokeObjectURL = vi.fn();
    const { user } = renderApp({ deps: { parseMessage: async () => withFiles } });
    const list = await signIn(user);
    await user.click(await within(list).findByRole('option', { name: /First/ }));
    const reader = screen.getByRole('region', { name: 'Message' });
    await user.click(await within(reader).findByRole('button', { name: 'Print' }, { timeout: 10_000 }));
    expect(print).toHaveBeenCalledOnce();

    expect(
      within(reader)
        .getAllByRole('button', { name: /^Preview / })
        .map((button) => button.textContent),
    ).toEqual(['Preview notes.txt', 'Preview dot.png', 'Preview report.pdf']);
    expect(within(reader).getAllByRole('button', { name: /^Download / })).toHaveLength(5);

    await user.click(within(reader).getByRole('button', { name: 'Preview notes.txt' }));
    const text = within(reader).getByRole('region', { name: 'Preview of notes.txt' });
    expect(document.activeElement).toBe(within(text).getByRole('button', { name: 'Close preview' }));
    expect(text.querySelector('pre')?.textContent).toBe('Größe: 42');

    await user.click(within(reader).getByRole('button', { name: 'Preview dot.png' }));
    const image = within(reader).getByRole('region', { name: 'Preview of dot.png' });
    expect(within(image).getByRole('img', { name: 'Preview of dot.png' }).getAttribute('src')).toBe(
      'blob:test/1',
    );
    expect(within(reader).queryByRole('region', { name: 'Preview of notes.txt' })).toBeNull();

    await user.click(within(reader).getByRole('button', { name: 'Preview report.pdf' }));
    await waitFor(() => expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/1'));
    const frame = within(reader).getByTitle('Preview of report.pdf');
    expect(frame.getAttribute('src')).toBe('data:application/pdf;base64,JVBERi0xLjQ=');
    expect(frame.hasAttribute('sandbox')).toBe(false);

    await user.keyboard('{Escape}');
    expect(within(reader).queryByRole('region', { name: /^Preview of/ })).toBeNull();
    expect(document.activeElement).toBe(within(reader).getByRole('button', { name: 'Preview report.pdf' }));
    // Escape closed the preview, not the message.
    expect(within(reader).getByRole('heading', { name: 'Files' })).toBeDefined();
  });
});
