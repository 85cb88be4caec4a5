// The shapes both engines share: the bounded line buffer, the STARTTLS injection guard, the error base.
import { describe, expect, it } from 'vitest';
import { BoundedLine, feedUnlessUpgrading, KindedError, transportErrorKinds } from '../src/index.js';

describe('BoundedLine', () => {
  it('gathers a line across appends up to its limit, and refuses one byte more', () => {
    const line = new BoundedLine(10, () => new Error('too long'), 2);
    line.append(new Uint8Array([1, 2, 3]));
    line.append(new Uint8Array([4, 5, 6, 7, 8, 9, 10]));
    expect([...line.view()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(() => line.append(new Uint8Array([11]))).toThrow('too long');
    line.clear();
    expect(line.length).toBe(0);
    line.append(new Uint8Array([42]));
    expect([...line.view()]).toEqual([42]);
  });
});

describe('feedUnlessUpgrading', () => {
  it('feeds while no upgrade is pending and passes the reader’s errors on', () => {
    const fed: number[] = [];
    expect(
      feedUnlessUpgrading(
        new Uint8Array([1]),
        () => false,
        (bytes) => fed.push(...bytes),
      ),
    ).toBe(true);
    expect(fed).toEqual([1]);
    const refuse = () => {
      throw new Error('not the protocol');
    };
    expect(() => feedUnlessUpgrading(new Uint8Array([2]), () => false, refuse)).toThrow('not the protocol');
  });

  it('refuses bytes while an upgrade is pending, and bytes after the go-ahead in the same chunk', () => {
    let fed = false;
    expect(
      feedUnlessUpgrading(
        new Uint8Array([1]),
        () => true,
        () => (fed = true),
      ),
    ).toBe(false);
    expect(fed).toBe(false);
    let upgrading = false;
    const goAheadThenMore = () => {
      upgrading = true; // the reader saw the go-ahead…
      throw new Error('data that answers no command'); // …and bytes after it
    };
    expect(feedUnlessUpgrading(new Uint8Array([2]), () => upgrading, goAheadThenMore)).toBe(false);
  });
});

describe('KindedError', () => {
  it('carries its kind and cause; the transport kinds are listed once', () => {
    const cause = new Error('socket');
    const error = new KindedError('closed', 'gone', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ kind: 'closed', message: 'gone', cause });
    expect(transportErrorKinds).toEqual(['closed', 'timeout', 'aborted', 'security', 'tls', 'bridge']);
  });
});
