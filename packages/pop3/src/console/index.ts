export {
  completeConsoleCommand,
  consoleCommandNames,
  parseConsoleCommand,
  type ConsoleCommand,
  type ConsoleContext,
  type ConsoleSend,
} from './console-command.js';
export { explainConsoleReply, sizeInWords } from './explain.js';
export {
  runConsoleCommand,
  type ConsoleChannel,
  type ConsoleOptions,
  type ConsoleOutcome,
  type ConsoleReply,
} from './run-console.js';
