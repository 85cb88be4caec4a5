export { run } from './run.js';
export { version } from './version.js';
export type { Input, Io, Output, TtyFlags } from './io.js';
export { fileNameForUid } from './filename.js';
export { parseInvocation, UsageError } from './args.js';
export type { ConnectionArgs, Invocation, ParsedCommand } from './args.js';
