import { describe, expect, it } from 'vitest';
import { ReplyReader, type ReplyKind } from '../src/protocol/reply-reader.js';
import type { StatusLine } from '../src/protocol/status-line.js';
import { Pop3ProtocolError } from '../src/errors.js';
import { concatBytes } from '../src/bytes.js';

interface ParsedReply {
  status: StatusLine;
  body: string | undefined;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** Feeds `wire` to a reader in the given pieces, expecting replies of the given kinds in order. */
function read(kinds: ReplyKind[], pieces: Uint8Array[]): ParsedReply[] {
  const replies: ParsedReply[] = [];
  const queue = [...kinds];
  let body: Uint8Array[] | undefined;
  let status: StatusLine | undefined;
  const reader = new ReplyReader({
    nextReplyKind: () => queue[0],
    status(line) {
      const kind = queue.shift()!;
      status = line;
      if ((kind === 'multi' || kind === 'detect') && line.indicator === '+OK') body = [];
      else replies.push({ status: line, body: undefined });
    },
    body(chunk) {
      body!.push(chunk.slice());
    },
    end() {
      replies.push({ status: status!, body: latin1(concatBytes(body!)) });
      body = undefined;
    },
    detected(multiLine) {
      if (multiLine) return;
      replies.push({ status: status!, body: undefined });
      body = undefined;
    },
  });
  for (const piece of pieces) reader.feed(piece);
  expect(reader.midReply).toBe(false);
  return replies;
}

/** Every way of cutting `wire` in two, and byte by byte: all must read the same. */
function splits(wire: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [[wire]];
  for (let cut = 1; cut < wire.length; cut++) ways.push([wire.subarray(0, cut), wire.subarray(cut)]);
  ways.push(Array.from(wire, (byte) => new Uint8Array([byte])));
  return ways;
}

function readEverySplit(kinds: ReplyKind[], wireText: string): ParsedReply[] {
  const wire = bytesOf(wireText);
  const whole = read(kinds, [wire]);
  for (const pieces of splits(wire)) expect(read(kinds, pieces)).toEqual(whole);
  return whole;
}

describe('ReplyReader', () => {
  it('reads single-line replies with response codes, at every split', () => {
    const replies = readEverySplit(
      ['single', 'single', 'single'],
      '+OK Dovecot ready. <1.2@host>\r\n-ERR [IN-USE] Mailbox is locked\r\n+OK\r\n',
    );
    expect(replies.map((r) => r.status)).toEqual([
      { indicator: '+OK', text: 'Dovecot ready. <1.2@host>', code: undefined },
      { indicator: '-ERR', text: 'Mailbox is locked', code: 'IN-USE' },
      { indicator: '+OK', text: '', code: undefined },
    ]);
  });

  it('reads a multi-line body with dot-unstuffing and the terminator split anywhere', () => {
    const wire =
      '+OK 120 octets\r\nSubject: dots\r\n\r\n..leading dot\r\n...two dots\r\n.\tnot a terminator\r\n' +
      'middle . dot\r\n..\r\nlast\r\n.\r\n';
    const [reply] = readEverySplit(['multi'], wire);
    expect(reply!.body).toBe(
      'Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n\tnot a terminator\r\nmiddle . dot\r\n.\r\nlast\r\n',
    );
  });

  it('reads an empty multi-line reply', () => {
    const replies = readEverySplit(['multi', 'single'], '+OK\r\n.\r\n+OK bye\r\n');
    expect(replies[0]!.body).toBe('');
    expect(replies[1]!.status.text).toBe('bye');
  });

  it('does not expect a body after -ERR to a multi-line command', () => {
    const replies = readEverySplit(
      ['multi', 'multi'],
      '-ERR [SYS/TEMP] no such message\r\n+OK\r\n1 2\r\n.\r\n',
    );
    expect(replies[0]).toEqual({
      status: { indicator: '-ERR', text: 'no such message', code: 'SYS/TEMP' },
      body: undefined,
    });
    expect(replies[1]!.body).toBe('1 2\r\n');
  });

  it('reads several pipelined replies from one chunk', () => {
    const replies = readEverySplit(
      ['multi', 'multi', 'single'],
      '+OK\r\nA: 1\r\n\r\n.\r\n+OK\r\nB: 2\r\n\r\n.\r\n+OK 1 2\r\n',
    );
    expect(replies.map((r) => r.body)).toEqual(['A: 1\r\n\r\n', 'B: 2\r\n\r\n', undefined]);
  });

  it('keeps bytes that are not UTF-8 exactly as sent', () => {
    const body = Buffer.concat([
      Buffer.from('Subject: '),
      Buffer.from([0xe9, 0xff, 0x00, 0x80]),
      Buffer.from('\r\n'),
    ]);
    const wire = Buffer.concat([Buffer.from('+OK\r\n'), body, Buffer.from('.\r\n')]);
    const [reply] = read(['multi'], [new Uint8Array(wire)]);
    expect(Buffer.from(reply!.body!, 'latin1')).toEqual(body);
  });

  it('keeps a stuffed line that holds a lone CR', () => {
    const [reply] = readEverySplit(['multi'], '+OK\r\n.\rx\r\n.\r\n');
    expect(reply!.body).toBe('\rx\r\n');
  });

  it('has no limit on body line length', () => {
    const longLine = 'x'.repeat(200_000);
    const wire = bytesOf(`+OK\r\n${longLine}\r\n.\r\n`);
    const pieces = [];
    for (let i = 0; i < wire.length; i += 1000) pieces.push(wire.subarray(i, i + 1000));
    const [reply] = read(['multi'], pieces);
    expect(reply!.body).toBe(`${longLine}\r\n`);
  });

  it('accepts SASL continuations only where one is expected', () => {
    const [reply] = readEverySplit(['sasl'], '+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n');
    expect(reply!.status).toEqual({
      indicator: '+',
      text: 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+',
      code: undefined,
    });
    expect(() => read(['single'], [bytesOf('+ abc\r\n')])).toThrow(Pop3ProtocolError);
  });

  it('matches status indicators case-insensitively and tolerates a bare LF', () => {
    const replies = read(['single', 'multi'], [bytesOf('+ok fine\n+OK\nline\n.\n')]);
    expect(replies[0]!.status.indicator).toBe('+OK');
    expect(replies[1]!.body).toBe('line\n');
  });

  describe('framing per RFC 1939 on a server whose lines end in CRLF', () => {
    // The greeting ends in CRLF, so only CRLF ends a line: a bare LF in a body is data.
    const greeting = '+OK ready\r\n';

    it('keeps the dot of a line that follows a bare LF, at every split', () => {
      const [, reply] = readEverySplit(['single', 'multi'], `${greeting}+OK\r\nline a\n.b\r\n.\r\n`);
      expect(reply!.body).toBe('line a\n.b\r\n');
    });

    it('does not end a message at LF "." CRLF, at every split', () => {
      const [, reply, next] = readEverySplit(
        ['single', 'multi', 'single'],
        `${greeting}+OK\r\nline a\n.\r\nline b\r\n.\r\n+OK 2\r\n`,
      );
      expect(reply!.body).toBe('line a\n.\r\nline b\r\n');
      expect(next!.status.text).toBe('2');
    });

    it('never lets a body forge the next reply (pipelined RETRs), at every split', () => {
      const forged = 'x\n.\r\n+OK 30 octets\r\nSubject: forged\r\n\r\nforgery\r\n';
      const [, first, second] = readEverySplit(
        ['single', 'multi', 'multi'],
        `${greeting}+OK\r\n${forged}.\r\n+OK\r\nSubject: real\r\n\r\n.\r\n`,
      );
      expect(first!.body).toBe(forged);
      expect(second!.body).toBe('Subject: real\r\n\r\n');
    });

    it('reads "." LF and "." CR x as stuffed lines, not terminators', () => {
      const [, reply] = readEverySplit(['single', 'multi'], `${greeting}+OK\r\n.\n\r\n..\r\n.\rx\r\n.\r\n`);
      expect(reply!.body).toBe('\n\r\n.\r\n\rx\r\n');
    });

    it('decides from the greeting, and keeps the decision for the session', () => {
      const reader = new ReplyReader({ nextReplyKind: () => 'single', status() {}, body() {}, end() {} });
      expect(reader.lineEnding).toBe('undecided');
      reader.feed(bytesOf('+OK hi\r\n+OK bare\n'));
      expect(reader.lineEnding).toBe('crlf');
    });
  });

  describe('a server whose lines all end in a bare LF', () => {
    it('reads LF-ended status lines, stuffing and the "." LF terminator, at every split', () => {
      const [greeting, reply, next] = readEverySplit(
        ['single', 'multi', 'single'],
        '+OK ready\n+OK\nline a\n..b\n\n.\n+OK 2\n',
      );
      expect(greeting!.status.text).toBe('ready');
      expect(reply!.body).toBe('line a\n.b\n\n');
      expect(next!.status.text).toBe('2');
    });
  });

  describe('a reply whose shape is detected (HELP, unknown commands)', () => {
    it('takes a status line right after +OK as the next reply: the reply was one line, at every split', () => {
      const replies = readEverySplit(
        ['detect', 'single', 'detect', 'single', 'detect', 'single'],
        '+OK Commands: USER PASS\r\n+OK\r\n+ok lower case\r\n-ERR [SYS/TEMP] busy\r\n+OK\r\n+OK\r\n',
      );
      expect(replies.map((reply) => [reply.status.indicator, reply.status.text, reply.body])).toEqual([
        ['+OK', 'Commands: USER PASS', undefined],
        ['+OK', '', undefined],
        ['+OK', 'lower case', undefined],
        ['-ERR', 'busy', undefined],
        ['+OK', '', undefined],
        ['+OK', '', undefined],
      ]);
    });

    it('reads a body when anything else follows +OK, lines that begin like a status line included, at every split', () => {
      const [help, next] = readEverySplit(
        ['detect', 'single'],
        '+OK help follows\r\n+OKAY is not a status\r\nUSER name\r\n-ERRS\r\n..dot\r\n.\r\n+OK\r\n',
      );
      expect(help!.body).toBe('+OKAY is not a status\r\nUSER name\r\n-ERRS\r\n.dot\r\n');
      expect(next!.status.text).toBe('');
    });

    it('reads an empty body, and -ERR as one line (it never has a body)', () => {
      const [empty, refused, next] = readEverySplit(
        ['detect', 'detect', 'single'],
        '+OK\r\n.\r\n-ERR Unknown command\r\n+OK\r\n',
      );
      expect(empty!.body).toBe('');
      expect(refused!.status).toEqual({ indicator: '-ERR', text: 'Unknown command', code: undefined });
      expect(next!.status.indicator).toBe('+OK');
    });

    it('detects in a session whose lines end in a bare LF', () => {
      const [, single, , multi, last] = readEverySplit(
        ['single', 'detect', 'single', 'detect', 'single'],
        '+OK ready\n+OK one line\n+OK\n+OK body\nHELP\n.\n+OK\n',
      );
      expect(single!.body).toBeUndefined();
      expect(multi!.body).toBe('HELP\n');
      expect(last!.status.indicator).toBe('+OK');
    });
  });

  it('rejects a reply that is neither +OK nor -ERR', () => {
    expect(() => read(['single'], [bytesOf('HTTP/1.1 400 Bad Request\r\n')])).toThrow(
      /neither \+OK nor -ERR/,
    );
    expect(() => read(['single'], [bytesOf('+OKAY\r\n')])).toThrow(Pop3ProtocolError);
  });

  it('rejects a status line over 64 KiB, even without a line end', () => {
    const reader = new ReplyReader({ nextReplyKind: () => 'single', status() {}, body() {}, end() {} });
    reader.feed(bytesOf('+OK '));
    expect(() => {
      for (let i = 0; i < 100; i++) reader.feed(new Uint8Array(1024).fill(0x61));
    }).toThrow(/longer than 65536 bytes/);
  });

  it('rejects data that answers no command', () => {
    expect(() => read([], [bytesOf('+OK surprise\r\n')])).toThrow(/answers no command/);
  });
});
