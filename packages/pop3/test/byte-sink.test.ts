import { describe, expect, it } from 'vitest';
import { limits } from '../src/limits.js';
import { ByteSink } from '../src/protocol/byte-sink.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('ByteSink', () => {
  it('keeps every piece in order, copied, across growth', () => {
    const sink = new ByteSink();
    const piece = bytes(1, 2, 3);
    const expected: number[] = [];
    for (let i = 0; i < 500; i++) {
      piece[0] = i & 0xff;
      sink.append(piece); // the caller reuses its buffer: the sink must have copied
      expected.push(i & 0xff, 2, 3);
    }
    expect(sink.length).toBe(1500);
    expect([...sink.bytes()]).toEqual(expected);
  });

  it('with the expected size, returns a buffer of exactly the body', () => {
    const sink = new ByteSink(6);
    sink.append(bytes(1, 2, 3));
    sink.append(bytes(4, 5, 6));
    const body = sink.bytes();
    expect([...body]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.byteLength).toBe(6);
  });

  it('a body far smaller than claimed is copied out, not kept with the slack', () => {
    const sink = new ByteSink(1_000_000);
    sink.append(bytes(7));
    const body = sink.bytes();
    expect([...body]).toEqual([7]);
    expect(body.buffer.byteLength).toBe(1);
  });

  it('sets aside no more than the limit, whatever size the server claims', () => {
    for (const claim of [Number.MAX_SAFE_INTEGER, 2 ** 40, -5, Number.NaN, 1.5]) {
      const sink = new ByteSink(claim);
      sink.append(bytes(1));
      expect(sink.bytes().byteLength).toBe(1);
    }
    const huge = new ByteSink(limits.maxBodyPreallocationBytes * 100);
    expect((huge as unknown as { buffer: Uint8Array }).buffer.byteLength).toBe(
      limits.maxBodyPreallocationBytes,
    );
  });

  it('an empty body is empty', () => {
    expect(new ByteSink(100).bytes().byteLength).toBe(0);
  });
});
