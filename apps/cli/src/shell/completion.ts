import { completeConsoleCommand, parseConsoleCommand, type ConsoleContext } from '@webpop/pop3';

/**
 * node:readline's completer for a command name: readline appends the part of a single candidate
 * beyond what was typed, so candidates are given in the case being typed (`st` → `stat `).
 */
export function completeLine(line: string, names: readonly string[]): [string[], string] {
  const { text, candidates } = completeConsoleCommand(line, names);
  const typed = line.trimStart();
  const lower = typed !== '' && typed === typed.toLowerCase();
  const inCase = (name: string) => (lower ? name.toLowerCase() : name);
  if (candidates.length === 1) return [[inCase(text.trimStart())], typed];
  return [candidates.map(inCase), typed];
}

/**
 * Takes the newest line out of readline's history when the console refuses it: a refused line may
 * hold a password (`PASS …`), and up-arrow must not bring it back. readline passes its own history
 * array (newest first) to its 'history' event, for a listener to change.
 */
export function forgetRefused(history: string[], context: ConsoleContext): void {
  const newest = history[0];
  if (newest !== undefined && parseConsoleCommand(newest, context).kind === 'refused') history.shift();
}
