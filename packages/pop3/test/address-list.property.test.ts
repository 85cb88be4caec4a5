// The address-list parser fuzzed and cut at every boundary. Runs: fuzzRuns() (fixed in CI;
// `pnpm fuzz` for long runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import {
  formatAddressList,
  parseAddressList,
  type AddressListEntry,
  type MailAddress,
} from '../src/mail/index.js';
import { quoteString } from '../src/mail/address-list.js';

const atom = fc
  .stringMatching(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]{1,8}$/)
  .filter((text) => !text.includes('=?'));
const dotAtom = fc.array(atom, { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join('.'));
const localPart = fc.oneof(
  dotAtom,
  fc.stringMatching(/^[ -~]{0,10}$/).map((text) => quoteString(text)),
);
const domain = fc.oneof(
  dotAtom,
  fc.ipV4().map((ip) => `[${ip}]`),
);
const address = fc.tuple(localPart, domain).map(([local, host]) => `${local}@${host}`);
/** Any display name a user could have: printable, trimmed, no encoded-word opener (it would be decoded). */
const name = fc
  .string({ unit: 'grapheme', maxLength: 20 })
  .map((text) =>
    [...text]
      .filter((char) => char.charCodeAt(0) >= 0x20 && char !== '\u007f')
      .join('')
      .trim(),
  )
  .filter((text) => !text.includes('=?'));
const mailboxArb: fc.Arbitrary<MailAddress> = fc.record({ name, address });
const entry: fc.Arbitrary<AddressListEntry> = fc.oneof(
  { weight: 4, arbitrary: mailboxArb.map((box) => ({ kind: 'mailbox' as const, ...box })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        name.filter((text) => text !== ''),
        fc.array(mailboxArb, { maxLength: 3 }),
      )
      .map(([group, members]) => ({ kind: 'group' as const, name: group, members })),
  },
);
const list = fc.array(entry, { maxLength: 5 });

describe('parseAddressList fuzzed', () => {
  it('reads back every list formatAddressList writes', () => {
    fc.assert(
      fc.property(list, (entries) => {
        expect(parseAddressList(formatAddressList(entries))).toEqual(entries);
      }),
      { numRuns: fuzzRuns(2000) },
    );
  });

  it('folding at any whitespace changes nothing (RFC 5322 §3.2.2)', () => {
    fc.assert(
      fc.property(list, fc.nat(), (entries, pick) => {
        const text = formatAddressList(entries);
        const spaces = [...text.matchAll(/ /g)].map((match) => match.index);
        if (spaces.length === 0) return;
        const at = spaces[pick % spaces.length]!;
        const folded = `${text.slice(0, at)}\r\n${text.slice(at)}`;
        expect(parseAddressList(folded)).toEqual(parseAddressList(text));
      }),
      { numRuns: fuzzRuns(2000) },
    );
  });

  it('never throws on any text, and every mailbox it returns has a string name and address', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'a@.,;:<>()"[]\\ \r\n=?éq'), maxLength: 60 }),
        (text) => {
          for (const found of parseAddressList(text)) {
            const boxes = found.kind === 'group' ? found.members : [found];
            for (const box of boxes)
              expect([typeof box.name, typeof box.address]).toEqual(['string', 'string']);
          }
        },
      ),
      { numRuns: fuzzRuns(5000) },
    );
  });
});

describe('parseAddressList cut at every boundary', () => {
  const samples = [
    '"Doe, Jane" <jane@example.org>, John Q. Public <jq@example.com>, Team: a@x.test, "B" <b@x.test>;, c@x.test',
    'Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>, =?utf-8?Q?J=C3=B6rg?= <j@x.test>',
    '<@node.test,@relay.test:joe@example.org>, "john doe"@example.org, x@[192.0.2.1]',
  ];
  for (const sample of samples) {
    it(`every entry that ends before the cut is read as in the whole list: ${sample.slice(0, 40)}…`, () => {
      const whole = parseAddressList(sample);
      for (let cut = 0; cut <= sample.length; cut++) {
        const prefix = sample.slice(0, cut);
        const parsed = parseAddressList(prefix);
        // The entries before the last top-level separator in the prefix are complete.
        const complete = parseAddressList(sample.slice(0, lastSeparator(sample, cut)));
        expect(parsed.slice(0, complete.length)).toEqual(complete);
        expect(whole.slice(0, complete.length)).toEqual(complete);
      }
    });
  }
});

/** The end of the last entry that is whole before `cut`: its `,` (or group's `;`) at the top level. */
function lastSeparator(text: string, cut: number): number {
  let last = 0;
  let depth = 0;
  let quoted = false;
  let angle = false;
  let group = false;
  for (let i = 0; i < cut; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (quoted) quoted = char !== '"';
    else if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth > 0) continue;
    else if (char === '<') angle = true;
    else if (char === '>') angle = false;
    else if (angle) continue;
    else if (char === ':') group = true;
    else if (char === ';') {
      group = false;
      last = i + 1;
    } else if (char === ',' && !group) last = i;
  }
  return last;
}
