import { isSecurity, type Security } from './security.js';

/** Largest text (control) frame the bridge accepts from the browser; the real ones are well under 200 bytes. */
export const MAX_CONTROL_FRAME_BYTES = 1024;

/**
 * Which of a configured server's services to relay to: its POP3 server (the default, and all an older
 * client knows), or the mail submission server configured beside it (RFC 6409).
 */
export type Service = 'pop3' | 'submission';

export const services: readonly Service[] = ['pop3', 'submission'];

/**
 * What to relay to: a server the bridge's configuration names, or (where allowed) any host; `service`
 * defaults to `pop3`.
 */
export type ConnectTarget = (
  { readonly server: string } | { readonly host: string; readonly port: number; readonly security: Security }
) & { readonly service?: Service };

/** Browser → bridge. */
export type ClientFrame =
  { readonly type: 'connect'; readonly target: ConnectTarget } | { readonly type: 'starttls' };

export function connectFrame(target: ConnectTarget): string {
  // A POP3 connect stays the frame it always was; `service` is only sent for submission.
  const service = target.service === 'submission' ? { service: target.service } : {};
  return JSON.stringify(
    'server' in target
      ? { type: 'connect', server: target.server, ...service }
      : { type: 'connect', host: target.host, port: target.port, security: target.security, ...service },
  );
}

export const starttlsFrame = JSON.stringify({ type: 'starttls' });

/**
 * Parses a control frame from the browser. Returns a description of what is wrong instead of the frame
 * when it is not one of the protocol's; the description never quotes the frame (no payload in errors).
 */
export function parseClientFrame(text: string): ClientFrame | { readonly invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: do not pass it on.
    return { invalid: 'the control frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { invalid: 'the control frame is not a JSON object' };
  }
  const frame = value as Record<string, unknown>;
  if (frame.type === 'starttls') return { type: 'starttls' };
  if (frame.type !== 'connect') return { invalid: 'unknown control frame type' };
  if (frame.service !== undefined && !(services as readonly unknown[]).includes(frame.service)) {
    return { invalid: 'connect: "service" must be "pop3" or "submission"' };
  }
  const service = frame.service === 'submission' ? { service: 'submission' as const } : {};
  if (frame.server !== undefined) {
    if (frame.host !== undefined || frame.port !== undefined) {
      return { invalid: 'connect takes either "server" or "host"/"port"/"security", not both' };
    }
    if (typeof frame.server !== 'string' || frame.server === '') {
      return { invalid: 'connect: "server" must be a non-empty string' };
    }
    return { type: 'connect', target: { server: frame.server, ...service } };
  }
  if (typeof frame.host !== 'string' || frame.host === '') {
    return { invalid: 'connect needs "server", or "host", "port" and "security"' };
  }
  if (
    typeof frame.port !== 'number' ||
    !Number.isInteger(frame.port) ||
    frame.port < 1 ||
    frame.port > 65535
  ) {
    return { invalid: 'connect: "port" must be an integer from 1 to 65535' };
  }
  if (!isSecurity(frame.security)) {
    return { invalid: 'connect: "security" must be "tls", "starttls" or "none"' };
  }
  return {
    type: 'connect',
    target: { host: frame.host, port: frame.port, security: frame.security, ...service },
  };
}
