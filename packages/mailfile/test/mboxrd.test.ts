import { describe, expect, it } from 'vitest';
import {
  asctime,
  emlFileName,
  envelopeSender,
  formatFromLine,
  joinMbox,
  MailfileError,
  MboxrdDecoder,
  MboxrdEncoder,
  parseFromLine,
  safeFileName,
  splitMbox,
  type MboxEvent,
} from '../src/index.js';

const bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const text = (data: Uint8Array) => String.fromCharCode(...data);
const date = new Date(Date.UTC(2026, 11, 1, 9, 4, 5));
const envelope = { sender: 'alice@example.org', date };

/** The messages that exercise every quoting rule, CRLF and LF, with and without a final line break. */
const tricky = [
  'Subject: a\r\n\r\nFrom the start of a line\r\n>From quoted once\r\n>>From twice\r\n',
  'From looks like a separator\nFromage is cheese\n From indented\n>\n>>\nFrom\nFro',
  '',
  '\n',
  '\n\n\n',
  '>From ',
  'From ',
  'x\r\n\r\n',
  '>>>>From deep\r\n>x From not at start\r\n',
].map(bytes);

/** What the decoder gives back for a message: the message, with an LF added if it lacked a final one. */
const expected = (message: Uint8Array) =>
  message.length > 0 && message[message.length - 1] === 0x0a ? message : Uint8Array.from([...message, 0x0a]);

/** Collects decoder events into messages (bytes as Latin-1 text for readable diffs). */
function messagesOf(events: MboxEvent[]): Array<{ from: string; text: string }> {
  const out: Array<{ from: string; text: string }> = [];
  for (const event of events) {
    if (event.kind === 'start') out.push({ from: event.from.line, text: '' });
    else if (event.kind === 'data') out[out.length - 1]!.text += text(event.bytes);
  }
  return out;
}

describe('the From line', () => {
  it('is the sender and an asctime date in UTC, the day padded with a space', () => {
    expect(asctime(date)).toBe('Tue Dec  1 09:04:05 2026');
    expect(text(formatFromLine(envelope))).toBe('From alice@example.org Tue Dec  1 09:04:05 2026\n');
  });

  it('has MAILER-DAEMON for a missing sender or one with a space or line break', () => {
    for (const sender of [undefined, '', 'a b@c', 'a\nFrom x', 'ü@x'])
      expect(text(formatFromLine({ sender, date }))).toBe('From MAILER-DAEMON Tue Dec  1 09:04:05 2026\n');
  });

  it('refuses an invalid date with a typed error', () => {
    expect(() => formatFromLine({ date: new Date(NaN) })).toThrow(
      expect.objectContaining({ kind: 'invalid-date' }),
    );
  });

  it('reads back sender and date', () => {
    expect(parseFromLine('From alice@example.org Tue Dec  1 09:04:05 2026\r')).toEqual({
      sender: 'alice@example.org',
      dateText: 'Tue Dec  1 09:04:05 2026',
      date,
      line: 'From alice@example.org Tue Dec  1 09:04:05 2026',
    });
    expect(parseFromLine('From x yesterday').date).toBeUndefined();
  });

  it('writes again a From line read from an mbox, as it was; one that is no From line is not used', () => {
    const line = 'From bob@example.net Mon Nov 30 23:59:59 2026 +0100 remote from x';
    expect(text(formatFromLine({ ...envelope, line }))).toBe(`${line}\n`);
    expect(text(formatFromLine({ ...envelope, line: parseFromLine(`${line}\r`).line }))).toBe(`${line}\n`);
    for (const bad of [
      '',
      'Subject: x',
      'From a\nSubject: injected',
      'From a\r',
      'From \u20ac',
      `From ${'x'.repeat(5000)}`,
    ])
      expect(text(formatFromLine({ ...envelope, line: bad }))).toBe(
        'From alice@example.org Tue Dec  1 09:04:05 2026\n',
      );
  });
});

describe('the envelope sender', () => {
  it('is the first Return-Path of the header, without its angle brackets', () => {
    const message = (header: string) => bytes(`${header}\r\nSubject: x\r\n\r\nReturn-Path: <body@x>\r\n`);
    expect(envelopeSender(message('Return-Path: <a@example.org>'))).toBe('a@example.org');
    expect(envelopeSender(message('Delivered-To: b\r\nreturn-path:   < a@example.org >'))).toBe(
      'a@example.org',
    );
    expect(envelopeSender(message('Return-Path:\r\n <folded@example.org>'))).toBe('folded@example.org');
    expect(envelopeSender(bytes('Return-Path: <lf@example.org>\nSubject: x\n\n'))).toBe('lf@example.org');
    expect(envelopeSender(message('Return-Path: <first@x>\r\nReturn-Path: <second@x>'))).toBe('first@x');
  });

  it('is undefined for the null path, none in the header, or one only in the body', () => {
    expect(envelopeSender(bytes('Return-Path: <>\r\n\r\n'))).toBeUndefined();
    expect(envelopeSender(bytes('From: a@x\r\n\r\nReturn-Path: <body@x>\r\n'))).toBeUndefined();
    expect(envelopeSender(bytes('From: a@x\nSubject: y\n\nReturn-Path: <body@x>\n'))).toBeUndefined();
    expect(envelopeSender(new Uint8Array())).toBeUndefined();
  });
});

describe('mboxrd encoding', () => {
  it('quotes every line starting with >*From by one more >, and nothing else', () => {
    const encoded = new MboxrdEncoder().encodeMessage(tricky[1]!, envelope);
    expect(text(encoded)).toBe(
      'From alice@example.org Tue Dec  1 09:04:05 2026\n' +
        '>From looks like a separator\nFromage is cheese\n From indented\n>\n>>\nFrom\nFro\n\n',
    );
    expect(text(new MboxrdEncoder().encodeMessage(tricky[0]!, envelope))).toContain(
      '\r\n>From the start of a line\r\n>>From quoted once\r\n>>>From twice\r\n\n',
    );
  });

  it('ends each message with a blank line, adding a line break where one is missing', () => {
    const encoder = new MboxrdEncoder();
    const head = text(formatFromLine(envelope));
    expect(text(encoder.encodeMessage(bytes('a\r\n'), envelope))).toBe(`${head}a\r\n\n`);
    expect(text(encoder.encodeMessage(bytes('a'), envelope))).toBe(`${head}a\n\n`);
    expect(text(encoder.encodeMessage(bytes(''), envelope))).toBe(`${head}\n\n`);
  });

  it('is used in order: begin, write, end', () => {
    const encoder = new MboxrdEncoder();
    expect(() => encoder.write(bytes('x'))).toThrow(MailfileError);
    encoder.begin(envelope);
    expect(() => encoder.begin(envelope)).toThrow(expect.objectContaining({ kind: 'misuse' }));
  });
});

describe('mboxrd decoding', () => {
  it('gives back every message byte for byte', () => {
    const mbox = joinMbox(tricky.map((message) => ({ envelope, bytes: message })));
    const read = splitMbox(mbox);
    expect(read.map((message) => text(message.bytes))).toEqual(tricky.map((m) => text(expected(m))));
    expect(read.every((message) => message.from.sender === 'alice@example.org')).toBe(true);
    expect(read[0]!.from.date).toEqual(date);
  });

  it('an empty file has no messages; a file not starting with "From " is no mbox', () => {
    expect(splitMbox(new Uint8Array())).toEqual([]);
    for (const wrong of ['Subject: x\n', 'Fro', 'from x\n']) {
      expect(() => splitMbox(bytes(wrong))).toThrow(expect.objectContaining({ kind: 'not-mbox' }));
    }
  });

  it('refuses a From line without end', () => {
    const decoder = new MboxrdDecoder();
    expect(() => decoder.push(bytes(`From ${'x'.repeat(5000)}`))).toThrow(
      expect.objectContaining({ kind: 'from-line-too-long' }),
    );
  });

  it('splits where another writer left no blank line, and keeps a lone From line as an empty message', () => {
    expect(
      messagesOf([...new MboxrdDecoder().push(bytes('From a x\nbody\nFrom b y\n\n')), { kind: 'end' }]),
    ).toEqual([
      { from: 'From a x', text: 'body\n' },
      { from: 'From b y', text: '' },
    ]);
    const decoder = new MboxrdDecoder();
    expect(messagesOf([...decoder.push(bytes('From a x')), ...decoder.end()])).toEqual([
      { from: 'From a x', text: '' },
    ]);
  });
});

describe('split at every byte boundary', () => {
  const mbox = joinMbox(tricky.map((message) => ({ envelope, bytes: message })));
  const whole = messagesOf(
    (() => {
      const decoder = new MboxrdDecoder();
      return [...decoder.push(mbox), ...decoder.end()];
    })(),
  );

  it('decoding reads the same messages wherever the input is cut (once or twice)', () => {
    for (let first = 0; first <= mbox.length; first++) {
      for (let second = first; second <= mbox.length; second += 23) {
        const decoder = new MboxrdDecoder();
        const events = [
          ...decoder.push(mbox.subarray(0, first)),
          ...decoder.push(mbox.subarray(first, second)),
          ...decoder.push(mbox.subarray(second)),
          ...decoder.end(),
        ];
        expect(messagesOf(events), `cut at ${first} and ${second}`).toEqual(whole);
      }
    }
  });

  it('encoding writes the same bytes wherever a message is cut', () => {
    for (const message of tricky) {
      const once = new MboxrdEncoder().encodeMessage(message, envelope);
      for (let cut = 0; cut <= message.length; cut++) {
        const encoder = new MboxrdEncoder();
        const parts = [
          encoder.begin(envelope),
          encoder.write(message.subarray(0, cut)),
          encoder.write(message.subarray(cut)),
          encoder.end(),
        ];
        expect(text(Uint8Array.from(parts.flatMap((part) => [...part]))), `cut at ${cut}`).toBe(text(once));
      }
    }
  });
});

describe('.eml file names', () => {
  it('keep safe characters and encode the rest as UTF-8 %XX', () => {
    expect(emlFileName('AbC-09._x')).toBe('AbC-09._x.eml');
    expect(emlFileName('.x')).toBe('%2Ex.eml');
    expect(emlFileName('a.b')).toBe('a.b.eml');
    expect(emlFileName('../etc')).toBe('%2E.%2Fetc.eml');
    expect(emlFileName('ü')).toBe('%C3%BC.eml');
    expect(emlFileName('50%')).toBe('50%25.eml');
    expect(safeFileName('\u{1f600}\ud800')).toBe('%F0%9F%98%80%EF%BF%BD');
  });
});
