import {
  completeConsoleCommand,
  consoleCommandNames,
  explainConsoleReply,
  parseConsoleCommand,
  type ConsoleSend,
} from '@webpop/pop3';
import type { MessageKey, Params } from '../i18n/index.js';
import type { Runtime, Slice, StoreTools } from './app-state.js';
import { commandFailed } from './lifecycle.js';
import { markForDeletion, removeDeletionMarks } from './mailbox-slice.js';
import { selectCounts, selectRow } from './selectors.js';
import { signOutSession } from './session-slice.js';

/** Lines kept for up/down. */
export const CONSOLE_HISTORY_LINES = 100;

/** What the last line gave, shown under the command line: the engine's words, or a message of the app. */
export type ConsoleFeedback =
  | { readonly tone: 'info' | 'error'; readonly sentences: readonly string[] }
  | { readonly tone: 'info' | 'warning'; readonly key: MessageKey; readonly params?: Params };

export interface ConsoleState {
  /** The line being typed. */
  readonly line: string;
  readonly history: readonly string[];
  /** Where up/down stands in `history`; null while typing a new line. */
  readonly historyAt: number | null;
  /** The new line, kept while up/down shows older ones. */
  readonly draft: string;
  readonly busy: boolean;
  readonly feedback: ConsoleFeedback | null;
  /** QUIT was typed while messages are marked: the next QUIT confirms, anything else cancels. */
  readonly quitPending: boolean;
}

export interface ConsoleSlice {
  readonly console: ConsoleState;
  readonly actions: {
    setConsoleLine(line: string): void;
    /** Up (-1) and down (+1) through the lines sent. */
    stepConsoleHistory(step: -1 | 1): void;
    /** Completes the command name from the server's CAPA; resolves to whether the line changed. */
    completeConsoleLine(): boolean;
    sendConsoleLine(): Promise<void>;
  };
}

export const emptyConsole: ConsoleState = {
  line: '',
  history: [],
  historyAt: null,
  draft: '',
  busy: false,
  feedback: null,
  quitPending: false,
};

/**
 * The POP3 command line under the protocol log. The engine judges and sends a typed line; DELE, RSET
 * and QUIT go through the same functions as the Delete and Undo buttons and Sign out, so the list
 * and the session change exactly as they do for those.
 */
export function createConsoleSlice(runtime: Runtime): Slice<ConsoleSlice> {
  return (set, get) => {
    const tools = { set, get };
    const change = (patch: Partial<ConsoleState>) => set({ console: { ...get().console, ...patch } });
    return {
      console: emptyConsole,
      actions: {
        setConsoleLine(line) {
          change({ line, historyAt: null });
        },

        stepConsoleHistory(step) {
          const { history, historyAt, line, draft } = get().console;
          if (history.length === 0) return;
          if (historyAt === null) {
            if (step === 1) return;
            change({ draft: line, historyAt: history.length - 1, line: history.at(-1)! });
            return;
          }
          const next = historyAt + step;
          if (next >= history.length) change({ historyAt: null, line: draft });
          else change({ historyAt: Math.max(0, next), line: history[Math.max(0, next)]! });
        },

        completeConsoleLine() {
          const { line } = get().console;
          const names = consoleCommandNames(runtime.session?.client.capabilities);
          const { text, candidates } = completeConsoleCommand(line, names);
          if (text !== line) {
            change({ line: text, historyAt: null, feedback: null });
            return true;
          }
          if (candidates.length > 1) {
            change({
              feedback: { tone: 'info', key: 'console.candidates', params: { names: candidates.join(' ') } },
            });
          }
          return false;
        },

        async sendConsoleLine() {
          const session = runtime.session;
          const state = get().console;
          if (!session || state.busy || get().session.kind !== 'open') return;
          const typed = state.line;
          const command = parseConsoleCommand(typed, {
            state: session.client.state,
            encrypted: session.client.tls !== null,
          });
          if (command.kind === 'empty') return;
          // A refused line stays out of the history: it may hold a password (PASS …).
          const kept = command.kind === 'refused' ? [] : [typed.trim()];
          const history = [...state.history.filter((line) => line !== typed.trim()), ...kept];
          change({
            line: '',
            draft: '',
            historyAt: null,
            history: history.slice(-CONSOLE_HISTORY_LINES),
            feedback: null,
          });
          if (command.kind === 'refused') {
            runtime.log.push({ direction: 'info', text: `not sent: ${command.why}` });
            change({ feedback: { tone: 'error', sentences: [command.why] }, quitPending: false });
            return;
          }
          if (command.verb === 'QUIT' && command.args.length === 0) return quit(tools, runtime, change);
          change({ quitPending: false, busy: true });
          try {
            const explained =
              (await asButtons(tools, runtime, command)) ?? (await sendTyped(runtime, command));
            if (session.signal.aborted) return;
            for (const text of explained) runtime.log.push({ direction: 'info', text });
            change({ feedback: explained.length > 0 ? { tone: 'info', sentences: explained } : null });
          } catch (error) {
            commandFailed(tools, session, error, 'console.failed');
          } finally {
            if (runtime.session === session) change({ busy: false });
          }
        },
      },
    };
  };
}

/**
 * DELE of a listed message and RSET: the buttons' functions, so the rows change as they do. Resolves
 * to the explanation when it handled the command, undefined when the command goes to the server as
 * typed (any other command, or a DELE the list cannot apply: the server's -ERR then says why).
 */
async function asButtons(
  tools: StoreTools,
  runtime: Runtime,
  command: ConsoleSend,
): Promise<string[] | undefined> {
  const ok = { indicator: '+OK', text: '', code: undefined } as const;
  if (command.verb === 'RSET' && command.args.length === 0) {
    return (await removeDeletionMarks(tools, runtime)) ? explainConsoleReply(command, ok, 0) : [];
  }
  if (command.verb !== 'DELE' || command.args.length !== 1 || !/^\d{1,9}$/.test(command.args[0]!)) {
    return undefined;
  }
  const number = Number(command.args[0]);
  const row = selectRow(tools.get(), number);
  if (!row || row.deleted) return undefined;
  return (await markForDeletion(tools, runtime, number)) ? explainConsoleReply(command, ok, 0) : [];
}

async function sendTyped(runtime: Runtime, command: ConsoleSend): Promise<string[]> {
  const outcome = await runtime.session!.run((client) => client.consoleCommand(command.line));
  return outcome.kind === 'reply' ? [...outcome.explanation] : [];
}

/** QUIT is Sign out; with messages marked, only once confirmed by a second QUIT. */
async function quit(
  tools: StoreTools,
  runtime: Runtime,
  change: (patch: Partial<ConsoleState>) => void,
): Promise<void> {
  const marked = selectCounts(tools.get()).deleted;
  if (marked > 0 && !tools.get().console.quitPending) {
    change({
      quitPending: true,
      feedback: { tone: 'warning', key: 'console.confirmQuit', params: { count: marked } },
    });
    return;
  }
  change({ quitPending: false, feedback: null });
  await signOutSession(tools, runtime);
}
