import { describe, expect, it, vi } from 'vitest';
import { displayName, MAX_DISPLAY_CHARS } from '../src/lib/display-name.js';
import { revealBidiControls } from '../src/mime/reveal-bidi.js';
import { summarizeHeaders } from '../src/mime/headers.js';
import { MimeLimitError, mimeLimits, parseBudgetMs } from '../src/mime/limits.js';
import { createWorkerParser, type ParserWorker } from '../src/mime/mime-client.js';
import { parseMessage } from '../src/mime/parse.js';
import type { ParsedMessage, WorkerRequest, WorkerResponse } from '../src/mime/types.js';

const encoder = new TextEncoder();

function deepMessage(levels: number): Uint8Array {
  let text = 'From: a@example.test\r\nSubject: deep\r\nMIME-Version: 1.0\r\n';
  for (let i = 0; i < levels; i++)
    text += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
  text += 'Content-Type: text/plain\r\n\r\nbottom\r\n';
  for (let i = levels - 1; i >= 0; i--) text += `--b${i}--\r\n`;
  return encoder.encode(text);
}

function wideMessage(parts: number): Uint8Array {
  let text =
    'From: a@example.test\r\nSubject: wide\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="w"\r\n\r\n';
  for (let i = 0; i < parts; i++) {
    text += `--w\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="p${i}.txt"\r\n\r\n${i}\r\n`;
  }
  return encoder.encode(`${text}--w--\r\n`);
}

describe('MIME limits', () => {
  it('parses nesting up to the limit and calls deeper messages too complex', async () => {
    expect((await parseMessage(deepMessage(50))).text).toContain('bottom');
    await expect(parseMessage(deepMessage(200))).rejects.toBeInstanceOf(MimeLimitError);
  });

  it('calls a message with more attachments than the limit too complex', async () => {
    expect((await parseMessage(wideMessage(20))).attachments).toHaveLength(20);
    await expect(parseMessage(wideMessage(mimeLimits.maxAttachments + 1))).rejects.toThrow(
      /attachments \(more than 1000\)/,
    );
  });

  it('cuts a very long body for display and says how long it was', async () => {
    const body = 'x'.repeat(mimeLimits.maxBodyChars + 10);
    const message = await parseMessage(
      encoder.encode(`From: a@example.test\r\nSubject: long\r\n\r\n${body}`),
    );
    expect(message.text).toHaveLength(mimeLimits.maxBodyChars);
    expect(message.truncated?.shown).toBe(mimeLimits.maxBodyChars);
    expect(message.truncated?.total).toBeGreaterThanOrEqual(body.length); // postal-mime may add a line end
  });
});

describe('header values for display', () => {
  it('drops bidi overrides and isolates and control characters, and bounds the length', () => {
    expect(displayName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(displayName('a\u2066b\u2069c\u202Ad\u202Ce')).toBe('abcde');
    expect(displayName('line\r\nbreak\u0000\u0007\u009b end')).toBe('line break end');
    expect(displayName('שלום עולם')).toBe('שלום עולם'); // plain right-to-left text stays
    const long = displayName('y'.repeat(100_000));
    expect(long).toHaveLength(MAX_DISPLAY_CHARS + 1);
    expect(long.endsWith('…')).toBe(true);
    expect(displayName(`${'z'.repeat(MAX_DISPLAY_CHARS - 1)}😀`)).toBe(
      `${'z'.repeat(MAX_DISPLAY_CHARS - 1)}…`,
    );
  });

  it('applies to the list (TOP headers) and to the reader (parsed message)', async () => {
    const raw = encoder.encode(
      `From: "Evil\u202E<b>x</b>" <evil@example.test>\r\nSubject: Pay \u202Egnp.exe <img src=x onerror=alert(1)> ${'s'.repeat(5000)}\r\n\r\nhi\r\n`,
    );
    const summary = summarizeHeaders(raw);
    expect(summary.subject.startsWith('Pay gnp.exe <img src=x onerror=alert(1)> sss')).toBe(true);
    expect(summary.subject.length).toBe(MAX_DISPLAY_CHARS + 1);
    expect(summary.from).toEqual({ name: 'Evil<b>x</b>', address: 'evil@example.test' });
    const parsed = await parseMessage(raw);
    expect(parsed.subject).toBe(summary.subject);
    expect(parsed.from?.name).toBe('Evil<b>x</b>');
  });
});

/** A worker that answers when told to, or never. */
function fakeWorker() {
  const workers: Array<ParserWorker & { requests: WorkerRequest[]; terminated: boolean }> = [];
  const create = () => {
    const worker = {
      onmessage: null as ParserWorker['onmessage'],
      onerror: null as ParserWorker['onerror'],
      requests: [] as WorkerRequest[],
      terminated: false,
      postMessage(message: WorkerRequest) {
        this.requests.push(message);
      },
      terminate() {
        this.terminated = true;
      },
    };
    workers.push(worker);
    return worker;
  };
  const answer = (index: number, response: WorkerResponse) =>
    workers[index]!.onmessage?.({ data: response } as MessageEvent<WorkerResponse>);
  return { workers, create, answer };
}

describe('the source view', () => {
  it('shows bidi controls as visible marks instead of letting them reorder the text', () => {
    expect(revealBidiControls('Subject: invoice\u202Efdp.exe')).toBe('Subject: invoice<U+202E>fdp.exe');
    expect(revealBidiControls('\u2066a\u2069 \u202Ab\u202C')).toBe('<U+2066>a<U+2069> <U+202A>b<U+202C>');
    expect(revealBidiControls('שלום, plain text')).toBe('שלום, plain text');
  });
});

describe('the worker parser', () => {
  it('stops a parse that takes too long, replaces the worker and calls the message too complex', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeWorker();
      const parse = createWorkerParser(fake.create, 1000);
      const slow = parse(encoder.encode('x'));
      const failed = expect(slow).rejects.toBeInstanceOf(MimeLimitError);
      await vi.advanceTimersByTimeAsync(1001);
      await failed;
      expect(fake.workers[0]!.terminated).toBe(true);

      const next = parse(encoder.encode('y'));
      expect(fake.workers).toHaveLength(2);
      const message = { subject: 'ok' } as ParsedMessage;
      fake.answer(1, { id: fake.workers[1]!.requests[0]!.id, ok: true, message });
      await expect(next).resolves.toBe(message);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a large message more time in proportion to its size, and still stops it past that', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeWorker();
      const parse = createWorkerParser(fake.create, 1000);
      const large = new Uint8Array(3 * 1024 * 1024 + 5);
      const budget = 1000 + 3 * mimeLimits.parseTimeoutMsPerMiB;
      expect(parseBudgetMs(large.length, 1000)).toBe(budget);
      let settled = false;
      const slow = parse(large).finally(() => {
        settled = true;
      });
      const failed = expect(slow).rejects.toThrow(`parsing took longer than ${Math.round(budget / 1000)} s`);
      await vi.advanceTimersByTimeAsync(budget - 1);
      expect(settled).toBe(false);
      expect(fake.workers[0]!.terminated).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      await failed;
      expect(fake.workers[0]!.terminated).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes the worker’s limit errors on as MimeLimitError, other failures as plain errors', async () => {
    const fake = fakeWorker();
    const parse = createWorkerParser(fake.create, 60_000);
    const first = parse(encoder.encode('a'));
    const second = parse(encoder.encode('b'));
    const [a, b] = fake.workers[0]!.requests;
    fake.answer(0, { id: a!.id, ok: false, error: 'Maximum MIME nesting depth', limit: true });
    fake.answer(0, { id: b!.id, ok: false, error: 'broken', limit: false });
    await expect(first).rejects.toBeInstanceOf(MimeLimitError);
    await expect(second).rejects.not.toBeInstanceOf(MimeLimitError);
  });
});
