/** Where log lines go: stdout by default, a list in tests. One JSON object per line. */
export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** The one line written when a relay ends. Counts and codes only: never a payload byte or a secret. */
export interface SessionLogRecord {
  readonly event: 'session';
  readonly id: string;
  readonly clientIp: string;
  /** The configured server id, `host:port` for a browser-named target, or null before a connect frame. */
  readonly target: string | null;
  /** The service the connect frame asked for; null before a connect frame. */
  readonly service: 'pop3' | 'submission' | null;
  readonly security: string | null;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly durationMs: number;
  readonly closeCode: number;
  /** An error code of the protocol, `closed` (normal end), `client_closed` or `shutdown`. */
  readonly reason: string;
  /** Who ended it: the bridge (error, timeout, shutdown), the browser, or the mail server. */
  readonly closedBy: 'bridge' | 'client' | 'server';
  /** origin_denied only: the Origin header received (null: none), those accepted, and a hint behind a proxy. */
  readonly originReceived?: string | null;
  readonly originsExpected?: readonly string[];
  readonly hint?: string;
}

export type LogRecord =
  | SessionLogRecord
  | {
      readonly event: 'listening';
      readonly url: string;
      readonly staticDir: string;
      readonly servers: string[];
    }
  | {
      /** A WebSocket upgrade answered with an HTTP error (never upgraded). */
      readonly event: 'refused';
      readonly clientIp: string;
      readonly status: number;
      /** The protocol's error code, or `unknown_host`. */
      readonly reason: string;
    }
  | { readonly event: 'draining'; readonly open: number; readonly deadlineSeconds: number }
  | { readonly event: 'stopped'; readonly closedOnDeadline: number }
  | {
      readonly event: 'reloaded';
      readonly servers: string[];
      /** Changed keys that keep their running values until a restart. */
      readonly restartNeededFor: readonly string[];
    }
  | { readonly event: 'reload_failed'; readonly error: string };

export function writeLog(sink: LogSink, record: LogRecord): void {
  sink(JSON.stringify({ time: new Date().toISOString(), ...record }));
}
