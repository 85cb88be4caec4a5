#!/usr/bin/env node
import { run } from './run.js';

// Ctrl-C: the running command stops, deletes nothing and ends the session; a second Ctrl-C quits at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: {
    stdin: process.stdin.isTTY === true,
    stdout: process.stdout.isTTY === true,
    stderr: process.stderr.isTTY === true,
  },
  signal: interrupt.signal,
});
process.exitCode = code;
