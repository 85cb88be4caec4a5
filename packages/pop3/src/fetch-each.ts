import { Pop3IntegrityError, Pop3ServerError } from './errors.js';

export interface FetchEachOptions {
  /**
   * Numbers of the messages, in the order the commands go out: any number of them. At most a pipeline
   * window of them is handed to the queue at a time, refilled as replies arrive.
   */
  readonly numbers: readonly number[];
  /** `TOP n lines` when set (0: headers only); otherwise `RETR n`. */
  readonly topLines?: number;
  /**
   * TOP only: keep at most this many bytes of each reply (default `limits.fetchEachTopKeepBytes`); the
   * rest is read and counted, not held. `bytes` is then the reply's start and `receivedBytes` its length.
   */
  readonly keepBytes?: number;
  /** Called for each message as its reply arrives, in order; `receivedBytes` counts what was not kept too. */
  readonly onMessage: (number: number, bytes: Uint8Array, receivedBytes: number) => void;
  readonly signal?: AbortSignal;
}

export interface FetchEachResult {
  /** Messages the server refused (`-ERR`), e.g. deleted by another session. */
  readonly failures: ReadonlyArray<{ number: number; error: Pop3ServerError | Pop3IntegrityError }>;
}

/** One fetched reply: the bytes kept, and how many the server sent. */
export interface Fetched {
  readonly bytes: Uint8Array;
  readonly receivedBytes: number;
}

/** The first `keepBytes` of a whole reply (all of it without), and its length. */
export function keptStart(whole: Uint8Array, { keepBytes }: { keepBytes?: number }): Fetched {
  return { bytes: whole.subarray(0, keepBytes ?? whole.length), receivedBytes: whole.length };
}

/** What fetchEach needs of the client: how many commands may be out at once, and one fetch. */
export interface FetchSource {
  /** The connection's window now (it changes when CAPA after login answers). */
  window(): number;
  fetch(number: number): Promise<Fetched>;
}

/**
 * TOP or RETR of many messages: at most a window of them queued or in flight at a time (the engine's
 * pipeline window, one without PIPELINING), refilled as replies arrive, so an urgent command waits
 * behind that window at most, however many messages there are. A message the server refuses (or one
 * that disagrees with LIST) is reported in `failures`; a broken connection, an abort or an error thrown
 * by `onMessage` rejects, and nothing more is sent.
 */
export function fetchEach(options: FetchEachOptions, source: FetchSource): Promise<FetchEachResult> {
  const { numbers, onMessage } = options;
  const failures: Array<{ number: number; error: Pop3ServerError | Pop3IntegrityError }> = [];
  let next = 0;
  let outstanding = 0;
  let over = false;
  return new Promise<FetchEachResult>((resolve, reject) => {
    const fill = () => {
      while (!over && next < numbers.length && outstanding < source.window()) {
        const number = numbers[next++]!;
        outstanding++;
        source
          .fetch(number)
          .then(({ bytes, receivedBytes }) => onMessage(number, bytes, receivedBytes))
          .then(
            () => answered(),
            (error: unknown) => {
              if (!(error instanceof Pop3ServerError || error instanceof Pop3IntegrityError)) {
                return stop(error);
              }
              failures.push({ number, error });
              answered();
            },
          );
      }
      if (!over && outstanding === 0) {
        over = true;
        failures.sort((a, b) => a.number - b.number);
        resolve({ failures });
      }
    };
    const answered = () => {
      outstanding--;
      fill();
    };
    const stop = (error: unknown) => {
      over = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    fill();
  });
}
