import { describe, expect, it } from 'vitest';
import { browserLegEncrypted, isLoopbackHost, linkSecurity } from '../src/session/link-security.js';

const link = (url: string) => new URL(url);

describe('link security over both legs', () => {
  it('is encrypted when both legs are TLS', () => {
    expect(linkSecurity(link('wss://mail.example.org/pop3'), true)).toEqual({ kind: 'encrypted' });
    expect(linkSecurity(link('https://mail.example.org/'), true)).toEqual({ kind: 'encrypted' });
  });

  it('names the browser leg when the page reaches a remote bridge over ws://', () => {
    expect(linkSecurity(link('ws://mail.example.org/pop3'), true)).toEqual({
      kind: 'unencrypted',
      legs: ['browser-bridge'],
    });
    expect(linkSecurity(link('http://192.168.1.5:8080/'), true)).toEqual({
      kind: 'unencrypted',
      legs: ['browser-bridge'],
    });
  });

  it('names the server leg when the bridge talks to the server without TLS', () => {
    expect(linkSecurity(link('wss://mail.example.org/pop3'), false)).toEqual({
      kind: 'unencrypted',
      legs: ['bridge-server'],
    });
  });

  it('names both legs when neither is encrypted', () => {
    expect(linkSecurity(link('ws://mail.example.org/pop3'), false)).toEqual({
      kind: 'unencrypted',
      legs: ['browser-bridge', 'bridge-server'],
    });
  });

  it('treats ws:// to loopback as staying on this machine', () => {
    for (const url of [
      'ws://localhost:8080/pop3',
      'ws://127.0.0.1/pop3',
      'ws://127.255.3.9/',
      'ws://[::1]:80/',
    ]) {
      expect(linkSecurity(link(url), true)).toEqual({ kind: 'encrypted' });
    }
  });

  it('has no browser leg to judge without a page', () => {
    expect(linkSecurity(null, true)).toEqual({ kind: 'encrypted' });
    expect(linkSecurity(null, false)).toEqual({ kind: 'unencrypted', legs: ['bridge-server'] });
  });
});

describe('loopback hosts', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
  });

  it('refuses look-alikes and other addresses', () => {
    for (const host of [
      '127.0.0.1.example.org',
      'localhost.example.org',
      '128.0.0.1',
      '127.0.0.256',
      '10.0.0.1',
      '::2',
      '[::ffff:7f00:1]',
      'example.org',
    ]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('takes wss: and https: as encrypted to any host', () => {
    expect(browserLegEncrypted(link('wss://203.0.113.9/pop3'))).toBe(true);
    expect(browserLegEncrypted(link('ws://203.0.113.9/pop3'))).toBe(false);
  });
});
