import type { MailClient } from '../session/types.js';

/** How long QUIT may take before the session is closed without it (the server then keeps DELE marks). */
export const QUIT_TIMEOUT_MS = 10_000;

export interface MailSessionOptions {
  readonly now: () => number;
  /** NOOP after this long without a command. */
  readonly keepaliveMs: number;
}

/**
 * One logged-in POP3 session of the app: the client, the commands it is running (the keepalive waits
 * for idleness), and its lifetime as an AbortSignal. The signal is aborted the moment the app stops
 * using the session — replaced by another, signed out, ended, or dropped by the server — so every
 * piece of work started for it checks `signal.aborted` and nothing else.
 */
export class MailSession {
  private readonly lifetime = new AbortController();
  private active = 0;
  private lastActivity: number;
  private readonly dropListeners = new Set<(error: unknown) => void>();

  constructor(
    readonly client: MailClient,
    private readonly options: MailSessionOptions,
  ) {
    this.lastActivity = options.now();
  }

  /** Aborted when the app no longer uses this session. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  /** The link is gone (the engine knows it), whether or not the app has noticed yet. */
  get linkEnded(): boolean {
    return this.client.state === 'ended';
  }

  /** Runs a command, counting it as activity (the keepalive waits for idleness). */
  async run<T>(command: (client: MailClient) => Promise<T>): Promise<T> {
    this.active++;
    this.lastActivity = this.options.now();
    try {
      return await command(this.client);
    } finally {
      this.active--;
      this.lastActivity = this.options.now();
    }
  }

  /**
   * NOOP when nothing has run for the keepalive interval (or `force`); a NOOP that fails for any
   * reason but an abort is a drop.
   */
  async keepalive(force: boolean): Promise<void> {
    if (this.signal.aborted || this.active > 0) return;
    if (!force && this.options.now() - this.lastActivity < this.options.keepaliveMs) return;
    try {
      await this.run((client) => client.noop());
    } catch (error) {
      if (!isAbort(error)) this.drop(error);
    }
  }

  /** Registers what to do when the session drops; runs once, at most. */
  onDrop(listener: (error: unknown) => void): void {
    this.dropListeners.add(listener);
  }

  /**
   * The link ended without the app asking (or a command found it dead): ends the session and tells
   * the listeners, once. Does nothing when the app already stopped using the session.
   */
  drop(error: unknown): void {
    if (this.signal.aborted) return;
    this.lifetime.abort();
    this.client.close();
    for (const listener of this.dropListeners) listener(this.client.closeReason ?? error);
    this.dropListeners.clear();
  }

  /**
   * Ends the session with QUIT (committing deletions), or closes it when QUIT fails or takes longer
   * than QUIT_TIMEOUT_MS; resolves to whether the server acknowledged QUIT.
   */
  async quit(): Promise<boolean> {
    this.lifetime.abort();
    try {
      await this.client.quit({ timeoutMs: QUIT_TIMEOUT_MS });
      return true;
    } catch {
      this.client.close();
      return false;
    }
  }

  /** Ends the session at once, without QUIT (the server forgets the DELE marks). */
  close(): void {
    this.lifetime.abort();
    this.client.close();
  }
}

export function isAbort(error: unknown): boolean {
  return (
    (error instanceof Error &&
      (error.name === 'AbortError' || (error as { kind?: string }).kind === 'aborted')) ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}
