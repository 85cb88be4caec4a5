// The address fields' suggestions (the To/Cc/Bcc datalist): one per sender address, sorted by name.
import { describe, expect, it } from 'vitest';
import type { MailAddress } from '@webpop/pop3/mail';
import { knownAddresses, selectKnownAddresses } from '../src/compose/selectors.js';
import { makeRow, type MessageRow } from '../src/store/rows.js';
import type { AppState } from '../src/store/app-state.js';
import type { ListHeaders } from '../src/mime/headers.js';

const headersFrom = (from: MailAddress): ListHeaders => ({ from, subject: 's', date: undefined });

const rowsFrom = (senders: ReadonlyArray<MailAddress | undefined>): MessageRow[] =>
  senders.map((from, i) =>
    makeRow({ number: i + 1, uid: `u${i + 1}`, size: 100 }, from && headersFrom(from), false, false),
  );

describe('knownAddresses', () => {
  it('sorts by the display name, not by the quote a name with a dot needs', () => {
    const rows = rowsFrom([
      { name: 'Bob B.', address: 'bob@example.org' },
      { name: 'carol', address: 'carol@example.org' },
      { name: 'Alice', address: 'alice@example.org' },
    ]);
    expect(knownAddresses(rows)).toEqual([
      'Alice <alice@example.org>',
      '"Bob B." <bob@example.org>',
      'carol <carol@example.org>',
    ]);
  });

  it('places a bare address by the address itself, among the names, ignoring case and accents', () => {
    const rows = rowsFrom([
      { name: 'Zoë', address: 'z@example.org' },
      { name: '', address: 'dave@example.org' },
      { name: 'Émile', address: 'emile@example.org' },
      { name: 'bert', address: 'b@example.org' },
    ]);
    expect(knownAddresses(rows)).toEqual([
      'bert <b@example.org>',
      'dave@example.org',
      'Émile <emile@example.org>',
      'Zoë <z@example.org>',
    ]);
  });

  it('one entry per address whatever its case, the named one kept; the same name ordered by address', () => {
    const rows = rowsFrom([
      { name: '', address: 'Ann@Example.org' },
      { name: 'Ann', address: 'ann@example.org' },
      { name: '', address: 'ann@example.org' },
      { name: 'Ann', address: 'ann@another.example' },
      { name: 'nobody', address: 'not-an-address' },
      undefined,
    ]);
    expect(knownAddresses(rows)).toEqual(['Ann <ann@another.example>', 'Ann <ann@example.org>']);
  });

  it('the selector computes once per rows array', () => {
    const rows = rowsFrom([{ name: 'Alice', address: 'alice@example.org' }]);
    const state = { rows } as unknown as AppState;
    expect(selectKnownAddresses(state)).toBe(selectKnownAddresses({ rows } as unknown as AppState));
  });
});
