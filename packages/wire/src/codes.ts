/** The error codes of the wire protocol (apps/bridge/README.md), each with the WebSocket close code that follows it. */
export const closeCodeFor = {
  protocol_error: 4001,
  target_denied: 4003,
  address_denied: 4003,
  origin_denied: 4003,
  timeout: 4008,
  limit_reached: 4029,
  dns_failed: 4502,
  connect_failed: 4502,
  tls_failed: 4502,
  upstream_closed: 4502,
} as const;

export type ErrorCode = keyof typeof closeCodeFor;

export const errorCodes = Object.keys(closeCodeFor) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(closeCodeFor, value);
}

/** A normal end of the POP3 session (the mail server or the browser closed it cleanly). */
export const NORMAL_CLOSE = 1000;
/** The bridge is shutting down and the drain deadline passed. */
export const GOING_AWAY = 1001;
