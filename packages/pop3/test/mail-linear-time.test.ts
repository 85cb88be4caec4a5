// The header summary a message list runs on every TOP reply, in linear time: 1 MiB of each
// adversarial shape takes about as long as 1 MiB of an ordinary header block (the old address
// splitter's lookahead took 24 s on a 1 MiB folded From: of "a,a,…"); so does the whole address-list
// parser that the CLI and the Playwright fixture use. Ratios, not milliseconds.
import { describe, expect, it } from 'vitest';
import { repeatTo, timeRatio } from '@webpop/testkit';
import { firstAddress, parseAddressList, summarizeHeaders } from '../src/mail/index.js';

const MAX_RATIO = 15;
const encoder = new TextEncoder();
const block = (field: string, value: string) => encoder.encode(`${field}: ${value}\r\nSubject: hi\r\n\r\n`);
const ordinary = encoder.encode(
  repeatTo(
    'Received: from mx.example.org (mx.example.org [192.0.2.1]) by mail.example.org; Tue, 1 Dec 2026\r\n',
  ) +
    'From: "Smith, Alice" <alice@example.org>\r\nSubject: Minutes\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n',
);

describe('summarizeHeaders on 1 MiB of each adversarial shape', () => {
  const shapes: Record<string, Uint8Array> = {
    'From: a,a,a…': block('From', repeatTo('a,')),
    'folded From: a,\\r\\n a,…': block('From', repeatTo('a,\r\n ')),
    'From: "a,"a,"…': block('From', repeatTo('"a,')),
    'From: <<<…': block('From', repeatTo('<')),
    'From: ((((…': block('From', repeatTo('(a')),
    'Date: spaces and letters': block('Date', repeatTo(' A')),
    'Subject: encoded words': block('Subject', repeatTo('=?utf-8?q?a?= ')),
    'References: <a@b> <a@b>…': block('References', repeatTo('<a@b> ')),
    'References: <<<<…': block('References', repeatTo('<')),
    'In-Reply-To: <a <a <a…': block('In-Reply-To', repeatTo('<a ') + '>'),
  };
  for (const [shape, bytes] of Object.entries(shapes)) {
    it(`${shape}: within ${MAX_RATIO}x of an ordinary header block`, () => {
      expect(timeRatio(summarizeHeaders, bytes, ordinary)).toBeLessThan(MAX_RATIO);
    });
  }
});

// 256 KiB: a quadratic parser would be some 10,000 times slower here, and the whole file stays fast.
describe('parseAddressList on 256 KiB of each adversarial shape', () => {
  const size = 256 * 1024;
  const ordinaryList = repeatTo('"Smith, Alice" <alice@example.org>, Bob Example <bob@example.org>, ', size);
  const shapes = ['a,', '<a', 'a.', '(a', '"a,', '[', 'a:a;', '=?utf-8?q?a?= '];
  for (const shape of shapes) {
    it(`${JSON.stringify(shape)}: within ${MAX_RATIO}x of an ordinary list`, () => {
      expect(timeRatio(parseAddressList, repeatTo(shape, size), ordinaryList)).toBeLessThan(MAX_RATIO);
    });
  }

  it('firstAddress keeps commas inside a quoted display name', () => {
    expect(firstAddress('"Smith, Alice" <alice@example.org>, bob@example.org')).toEqual({
      name: 'Smith, Alice',
      address: 'alice@example.org',
    });
  });
});
