import { describe, expect, it } from 'vitest';
import { SmtpProtocolError } from '../src/errors.js';
import { limits } from '../src/limits.js';
import { ReplyReader } from '../src/protocol/reply-reader.js';
import type { Reply } from '../src/protocol/reply.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function read(pieces: Uint8Array[], expected = Infinity): Reply[] {
  const replies: Reply[] = [];
  const reader = new ReplyReader({
    expectingReply: () => replies.length < expected,
    reply: (reply) => replies.push({ ...reply, lines: [...reply.lines] }),
  });
  for (const piece of pieces) reader.feed(piece);
  return replies;
}

const session =
  '220 mx.example.org ESMTP\r\n' +
  '250-mx.example.org greets [127.0.0.1]\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 ENHANCEDSTATUSCODES\r\n' +
  '250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n' +
  '354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4F2\r\n221 2.0.0 Bye\r\n';

const expected: Reply[] = [
  { code: 220, lines: ['mx.example.org ESMTP'], enhancedStatus: undefined },
  {
    code: 250,
    lines: ['mx.example.org greets [127.0.0.1]', 'PIPELINING', 'SIZE 10240000', 'ENHANCEDSTATUSCODES'],
    enhancedStatus: undefined,
  },
  { code: 250, lines: ['Ok'], enhancedStatus: '2.1.0' },
  { code: 550, lines: ['<nobody@example.org>: Recipient address rejected'], enhancedStatus: '5.1.1' },
  { code: 354, lines: ['End data with <CR><LF>.<CR><LF>'], enhancedStatus: undefined },
  { code: 250, lines: ['Ok: queued as 4F2'], enhancedStatus: '2.0.0' },
  { code: 221, lines: ['Bye'], enhancedStatus: '2.0.0' },
];

describe('ReplyReader', () => {
  it('reads a whole session fed at once', () => {
    expect(read([bytes(session)])).toEqual(expected);
  });

  it('reads the same replies however the stream is cut in two, at every byte boundary', () => {
    const all = bytes(session);
    for (let at = 0; at <= all.length; at++) {
      expect(read([all.subarray(0, at), all.subarray(at)])).toEqual(expected);
    }
  });

  it('reads the same replies when every byte comes alone', () => {
    const all = bytes(session);
    expect(read([...all].map((byte) => Uint8Array.of(byte)))).toEqual(expected);
  });

  it('reads lines that end in a bare LF, and a code without text', () => {
    expect(read([bytes('220 hi\n250\r\n')])).toEqual([
      { code: 220, lines: ['hi'], enhancedStatus: undefined },
      { code: 250, lines: [''], enhancedStatus: undefined },
    ]);
  });

  it('takes an enhanced status code only when its class is the reply code’s', () => {
    expect(read([bytes('554 2.3.4 looks like a code\r\n')])[0]!.enhancedStatus).toBeUndefined();
    expect(read([bytes('452 4.3.1 full\r\n')])[0]).toMatchObject({
      enhancedStatus: '4.3.1',
      lines: ['full'],
    });
  });

  it('refuses data that answers no command', () => {
    expect(() => read([bytes('220 hi\r\n250 extra\r\n')], 1)).toThrow(SmtpProtocolError);
  });

  it('refuses what is not SMTP, and a multi-line reply that changes its code', () => {
    for (const text of ['+OK POP3 ready\r\n', '2200 x\r\n', '22\r\n', '600 x\r\n', '220_x\r\n']) {
      expect(() => read([bytes(text)]), text).toThrow(SmtpProtocolError);
    }
    expect(() => read([bytes('250-a\r\n251 b\r\n')])).toThrow(/changed its code/);
  });

  it('refuses a line longer than the limit, even one that never ends', () => {
    const long = bytes(`250 ${'x'.repeat(limits.maxReplyLineBytes)}`);
    expect(() => read([long])).toThrow(/longer than/);
    const justFits = bytes(`250 ${'x'.repeat(limits.maxReplyLineBytes - 6)}\r\n`);
    expect(justFits.length).toBe(limits.maxReplyLineBytes);
    expect(read([justFits])).toHaveLength(1);
  });

  it('refuses a reply of more lines than the limit', () => {
    const many = '250-x\r\n'.repeat(limits.maxReplyLines) + '250 x\r\n';
    expect(() => read([bytes(many)])).toThrow(/more than/);
  });
});
