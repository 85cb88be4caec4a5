// The header summary a message list runs on every TOP reply, in linear time: on each adversarial shape
// 1 MiB takes about 8 times as long as 128 KiB (the old address splitter's lookahead took 24 s on a
// 1 MiB folded From: of "a,a,…", 64 times its time on 128 KiB); so does the whole address-list parser
// that the CLI and the Playwright fixture use. Ratios of a shape's own times, not milliseconds.
import { describe, expect, it } from 'vitest';
import { LINEAR_BOUND, LINEAR_TIME_TEST_TIMEOUT_MS, repeatTo, superlinearity } from '@webpop/testkit';
import { firstAddress, parseAddressList, summarizeHeaders } from '../src/mail/index.js';

/** A linear scan reads about 1, a quadratic one about 8 (see superlinearity). */
const MAX_SUPERLINEARITY = LINEAR_BOUND;
const MiB = 1024 * 1024;
const encoder = new TextEncoder();
const block = (field: string, value: string) => encoder.encode(`${field}: ${value}\r\nSubject: hi\r\n\r\n`);

describe(
  'summarizeHeaders on 1 MiB of each adversarial shape',
  { timeout: LINEAR_TIME_TEST_TIMEOUT_MS },
  () => {
    const shapes: Record<string, (size: number) => Uint8Array> = {
      'From: a,a,a…': (n) => block('From', repeatTo('a,', n)),
      'folded From: a,\\r\\n a,…': (n) => block('From', repeatTo('a,\r\n ', n)),
      'From: "a,"a,"…': (n) => block('From', repeatTo('"a,', n)),
      'From: <<<…': (n) => block('From', repeatTo('<', n)),
      'From: ((((…': (n) => block('From', repeatTo('(a', n)),
      'Date: spaces and letters': (n) => block('Date', repeatTo(' A', n)),
      'Subject: encoded words': (n) => block('Subject', repeatTo('=?utf-8?q?a?= ', n)),
      'References: <a@b> <a@b>…': (n) => block('References', repeatTo('<a@b> ', n)),
      'References: <<<<…': (n) => block('References', repeatTo('<', n)),
      'In-Reply-To: <a <a <a…': (n) => block('In-Reply-To', repeatTo('<a ', n) + '>'),
    };
    for (const [shape, make] of Object.entries(shapes)) {
      it(`${shape}: grows linearly (superlinearity under ${MAX_SUPERLINEARITY})`, () => {
        expect(superlinearity(summarizeHeaders, make, MiB)).toBeLessThan(MAX_SUPERLINEARITY);
      });
    }
  },
);

// 1 MiB against 128 KiB: at 256 KiB against 32 KiB the small input's CPU time is short enough that a
// loaded machine (six busy loops on two cores) read 3.8–5.1 for a linear shape; at 1 MiB at most 1.9.
describe(
  'parseAddressList on 1 MiB of each adversarial shape',
  { timeout: LINEAR_TIME_TEST_TIMEOUT_MS },
  () => {
    const shapes = ['a,', '<a', 'a.', '(a', '"a,', '[', 'a:a;', '=?utf-8?q?a?= '];
    for (const shape of shapes) {
      it(`${JSON.stringify(shape)}: grows linearly (superlinearity under ${MAX_SUPERLINEARITY})`, () => {
        expect(superlinearity(parseAddressList, (n) => repeatTo(shape, n), MiB)).toBeLessThan(
          MAX_SUPERLINEARITY,
        );
      });
    }

    it('firstAddress keeps commas inside a quoted display name', () => {
      expect(firstAddress('"Smith, Alice" <alice@example.org>, bob@example.org')).toEqual({
        name: 'Smith, Alice',
        address: 'alice@example.org',
      });
    });
  },
);
