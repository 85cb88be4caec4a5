// The wire protocol's encoders and parsers against each other (any frame either side can send reads
// back as itself), against the bytes apps/bridge/README.md documents, and the README's error table.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import {
  closeCodeFor,
  connectedFrame,
  connectFrame,
  errorCodes,
  errorFrame,
  parseBridgeFrame,
  parseClientFrame,
  securities,
  starttlsFrame,
  tlsFrame,
  type ConnectTarget,
  type TlsSummary,
} from '../src/index.js';

const security = fc.constantFrom(...securities);
const target: fc.Arbitrary<ConnectTarget> = fc.oneof(
  fc.record({ server: fc.string({ minLength: 1 }) }),
  fc.record({ host: fc.string({ minLength: 1 }), port: fc.integer({ min: 1, max: 65535 }), security }),
);
const text = fc.option(fc.string(), { nil: null });
const summary: fc.Arbitrary<TlsSummary> = fc.record({
  protocol: text,
  cipher: text,
  authorized: fc.boolean(),
  subject: text,
  issuer: text,
  validTo: text,
  fingerprint256: text,
});

const example: TlsSummary = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  authorized: true,
  subject: 'CN=pop.example.org',
  issuer: 'CN=Example CA, O=Example',
  validTo: 'Jun  1 12:00:00 2026 GMT',
  fingerprint256: 'AB:CD',
};

describe('browser → bridge', () => {
  it('every connect target reads back as itself; starttls as starttls', () => {
    fc.assert(
      fc.property(target, (t) => {
        expect(parseClientFrame(connectFrame(t))).toEqual({ type: 'connect', target: t });
      }),
      { numRuns: fuzzRuns(500) },
    );
    expect(parseClientFrame(starttlsFrame)).toEqual({ type: 'starttls' });
  });

  it('sends the documented bytes', () => {
    expect(connectFrame({ server: 'demo' })).toBe('{"type":"connect","server":"demo"}');
    expect(connectFrame({ host: 'h', port: 995, security: 'tls' })).toBe(
      '{"type":"connect","host":"h","port":995,"security":"tls"}',
    );
    expect(starttlsFrame).toBe('{"type":"starttls"}');
  });
});

describe('bridge → browser', () => {
  it('a submission connect names its service; a POP3 one stays the frame it always was', () => {
    expect(connectFrame({ server: 'demo', service: 'pop3' })).toBe('{"type":"connect","server":"demo"}');
    expect(connectFrame({ server: 'demo', service: 'submission' })).toBe(
      '{"type":"connect","server":"demo","service":"submission"}',
    );
    expect(parseClientFrame('{"type":"connect","server":"demo","service":"submission"}')).toEqual({
      type: 'connect',
      target: { server: 'demo', service: 'submission' },
    });
    expect(parseClientFrame('{"type":"connect","server":"demo","service":"pop3"}')).toEqual({
      type: 'connect',
      target: { server: 'demo' },
    });
    expect(parseClientFrame('{"type":"connect","server":"demo","service":"imap"}')).toHaveProperty('invalid');
    expect(connectedFrame('starttls', null, 'submission')).toBe(
      '{"type":"connected","security":"starttls","tls":null,"service":"submission"}',
    );
    expect(parseBridgeFrame(connectedFrame('starttls', null, 'submission'))).toEqual({
      type: 'connected',
      security: 'starttls',
      tls: null,
      service: 'submission',
    });
    expect(connectedFrame('tls', null, 'pop3')).toBe('{"type":"connected","security":"tls","tls":null}');
  });

  it('every connected, tls and error frame reads back as itself', () => {
    fc.assert(
      fc.property(security, fc.option(summary, { nil: null }), (s, tls) => {
        expect(parseBridgeFrame(connectedFrame(s, tls))).toEqual({ type: 'connected', security: s, tls });
        if (tls) expect(parseBridgeFrame(tlsFrame(tls))).toEqual({ type: 'tls', tls });
      }),
      { numRuns: fuzzRuns(500) },
    );
    for (const code of errorCodes) {
      expect(parseBridgeFrame(errorFrame(code, 'why'))).toEqual({ type: 'error', code, message: 'why' });
    }
  });

  it('the tls object carries exactly the documented fields, in their order, whatever the summary holds', () => {
    const withMore = { ...example, validFrom: 'Jun  1 12:00:00 2025 GMT', extra: 1 };
    expect(connectedFrame('tls', withMore)).toBe(
      '{"type":"connected","security":"tls","tls":{"protocol":"TLSv1.3","cipher":"TLS_AES_256_GCM_SHA384",' +
        '"authorized":true,"subject":"CN=pop.example.org","issuer":"CN=Example CA, O=Example",' +
        '"validTo":"Jun  1 12:00:00 2026 GMT","fingerprint256":"AB:CD"}}',
    );
    expect(connectedFrame('starttls', null)).toBe('{"type":"connected","security":"starttls","tls":null}');
    expect(JSON.parse(tlsFrame(withMore))).toEqual({ type: 'tls', tls: example });
    expect(errorFrame('timeout', 'idle')).toBe('{"type":"error","code":"timeout","message":"idle"}');
  });

  it('refuses what the bridge does not send: a flat tls frame, an unknown security, a missing code', () => {
    expect(parseBridgeFrame(JSON.stringify({ type: 'tls', ...example }))).toBeUndefined();
    expect(parseBridgeFrame('{"type":"connected","security":"ssl","tls":null}')).toBeUndefined();
    expect(parseBridgeFrame('{"type":"error","message":"x"}')).toBeUndefined();
    expect(parseBridgeFrame('{"type":"starttls"}')).toBeUndefined();
    expect(parseBridgeFrame('not json')).toBeUndefined();
  });

  it('reads a connected frame without tls as null, and an error without message as its code', () => {
    expect(parseBridgeFrame('{"type":"connected","security":"none"}')).toEqual({
      type: 'connected',
      security: 'none',
      tls: null,
    });
    expect(parseBridgeFrame('{"type":"error","code":"timeout"}')).toEqual({
      type: 'error',
      code: 'timeout',
      message: 'timeout',
    });
  });
});

describe('error codes', () => {
  it('are the README table, each with its close code', () => {
    const readme = readFileSync(new URL('../../../apps/bridge/README.md', import.meta.url), 'utf8');
    const table = readme.split('### Error codes and close codes')[1]!.split('\n\n')[1]!;
    const documented = Object.fromEntries(
      [...table.matchAll(/^\| `([a-z_]+)` +\| (\d{4}) /gm)].map((row) => [row[1], Number(row[2])]),
    );
    expect(documented).toEqual(closeCodeFor);
  });
});
