import {
  Pop3AbortError,
  Pop3ClosedError,
  Pop3Error,
  Pop3IntegrityError,
  Pop3ProtocolError,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3TimeoutError,
  Pop3TlsError,
  Pop3UnsupportedError,
  type SecurityRefusal,
} from '@webpop/pop3';
import { Pop3BridgeError, type BridgeErrorCode } from '@webpop/pop3/browser';
import { describe, expect, it } from 'vitest';
import { translate } from '../src/i18n/index.js';
import { describeError } from '../src/session/errors.js';

const words = (error: unknown, phase?: Parameters<typeof describeError>[1]) => {
  const described = describeError(error, phase);
  return { ...described, text: translate('en', described.key, described.params) };
};

describe('errors in words', () => {
  it('server refusals by response code, with the server text', () => {
    const cases: Array<[string | undefined, string, string]> = [
      ['AUTH', 'error.auth', 'did not accept the username or password'],
      ['IN-USE', 'error.inUse', 'in use by another session'],
      ['LOGIN-DELAY', 'error.loginDelay', 'only every few minutes'],
      ['SYS/TEMP', 'error.sysTemp', 'temporary problem'],
      ['SYS/PERM', 'error.sysPerm', 'permanently'],
    ];
    for (const [code, key, phrase] of cases) {
      const result = words(new Pop3ServerError('PASS', 'Go away', code, 'login'));
      expect(result.key).toBe(key);
      expect(result.text).toContain(phrase);
      expect(result.detail).toEqual({ source: 'server', text: `[${code}] Go away` });
    }
  });

  it('a message that disagrees with LIST: its own words, the engine text as detail', () => {
    const result = words(new Pop3IntegrityError(3, 100, 250));
    expect(result.key).toBe('error.integrity');
    expect(result.text).toContain('did not arrive as the mail server described it');
    expect(result.detail).toEqual({ source: 'details', text: expect.stringContaining('LIST said 250') });
  });

  it('server refusals without a code: by command', () => {
    expect(words(new Pop3ServerError('PASS', 'invalid password', undefined, 'login'))).toMatchObject({
      key: 'error.loginFailed',
      detail: { source: 'server', text: 'invalid password' },
    });
    expect(words(new Pop3ServerError('AUTH CRAM-MD5', 'nope', undefined, 'login')).key).toBe(
      'error.loginFailed',
    );
    expect(words(new Pop3ServerError('APOP', 'nope', undefined, 'login')).key).toBe('error.loginFailed');
    expect(words(new Pop3ServerError('greeting', 'too busy', undefined, 'greeting')).key).toBe(
      'error.greeting',
    );
    const other = words(new Pop3ServerError('RETR 3', 'no such message', undefined, 'transaction'));
    expect(other).toMatchObject({ key: 'error.command', params: { command: 'RETR 3' } });
    expect(other.text).toBe('The mail server refused the command RETR 3.');
  });

  it('every bridge code has its own words and keeps the bridge message', () => {
    const codes: BridgeErrorCode[] = [
      'target_denied',
      'address_denied',
      'origin_denied',
      'limit_reached',
      'dns_failed',
      'connect_failed',
      'timeout',
      'tls_failed',
      'protocol_error',
      'upstream_closed',
    ];
    const texts = new Set<string>();
    for (const code of codes) {
      const result = words(new Pop3BridgeError(code, `bridge says ${code}`, 4003), 'connect');
      expect(result.key).toBe(`error.bridge.${code}`);
      expect(result.detail).toEqual({ source: 'bridge', text: `bridge says ${code}` });
      texts.add(result.text);
    }
    expect(texts.size).toBe(codes.length);
    expect(words(new Pop3BridgeError('tls_failed', 'x')).text).toContain('certificate');
    expect(words(new Pop3BridgeError('connect_failed', 'x')).text).toContain('could not be reached');
    expect(words(new Pop3BridgeError('something_new' as BridgeErrorCode, 'x')).key).toBe(
      'error.bridge.other',
    );
  });

  it('every security refusal', () => {
    const reasons: SecurityRefusal[] = [
      'plaintext',
      'injection',
      'credentials',
      'missing-secret',
      'not-encrypted',
    ];
    for (const reason of reasons) {
      expect(words(new Pop3SecurityError(reason, 'engine words')).key).toBe(`error.security.${reason}`);
    }
    expect(words(new Pop3SecurityError('plaintext', 'x')).text).toContain('not encrypted');
  });

  it('every other kind', () => {
    expect(words(new Pop3TlsError('handshake failed')).key).toBe('error.tls');
    expect(words(new Pop3UnsupportedError('the server does not offer STLS'))).toMatchObject({
      key: 'error.unsupported',
      detail: { source: 'details', text: 'the server does not offer STLS' },
    });
    expect(words(new Pop3ProtocolError('garbage')).key).toBe('error.protocol');
    expect(words(new Pop3TimeoutError('RETR 1', 30_000)).key).toBe('error.timeout');
    expect(words(new Pop3TimeoutError('connect', 20_000, 'no connection through the bridge')).key).toBe(
      'error.connectTimeout',
    );
    expect(words(new Pop3AbortError('RETR 1')).key).toBe('error.aborted');
    expect(words(new Pop3ClosedError('closed'), 'session').key).toBe('error.closed');
    // Later, a WebSocket cut by the bridge (stopped, restarted) is told apart from the server's close.
    const bridgeCut = new Pop3ClosedError('the connection to the bridge closed (1001)', {
      bridgeCloseCode: 1001,
    });
    expect(words(bridgeCut, 'session').key).toBe('error.bridgeLost');
    // As the engine reports it: the connection's error, caused by the transport's.
    const asReported = new Pop3ClosedError('the server closed the connection: …', { cause: bridgeCut });
    expect(words(asReported, 'session').key).toBe('error.bridgeLost');
    // Words alone do not make a bridge cut: a server whose text names a bridge is still the server.
    expect(words(new Pop3ClosedError('the server closed the connection: bridge'), 'session').key).toBe(
      'error.closed',
    );
    expect(
      words(new Pop3ClosedError('the server closed the connection while waiting for the reply to RETR 1'))
        .key,
    ).toBe('error.closed');
    // Before the bridge said "connected", a closed WebSocket means the bridge itself is unreachable.
    expect(words(new Pop3ClosedError('the connection to the bridge closed (1006)'), 'connect').key).toBe(
      'error.bridgeUnreachable',
    );
    expect(words(new Pop3Error('server', 'odd')).key).toBe('error.unknown');
    expect(words(new TypeError('Failed to fetch'))).toMatchObject({
      key: 'error.unknown',
      detail: { source: 'details', text: 'Failed to fetch' },
    });
    expect(words('weird').key).toBe('error.unknown');
  });
});
