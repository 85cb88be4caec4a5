import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForGreetingOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** Resolves if the server process exits: no point in waiting any longer. */
  exited: Promise<void>;
  /** How the greeting starts: `+OK` (POP3, the default) or `220 ` (SMTP). */
  prefix?: string;
}

/** Connects again and again until the server sends its greeting line (`+OK` …); returns that line. */
export async function waitForGreeting(options: WaitForGreetingOptions): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  let processExited = false;
  void options.exited.then(() => (processExited = true));
  let lastProblem = 'no attempt made';
  while (Date.now() < deadline) {
    if (processExited) throw new Error('the server process exited');
    try {
      const line = await readGreeting(options.host, options.port, Math.max(100, deadline - Date.now()));
      if (line.startsWith(options.prefix ?? '+OK')) return line;
      lastProblem = `unexpected greeting ${JSON.stringify(line)}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(
    `no greeting on ${options.host}:${options.port} within ${options.timeoutMs} ms (${lastProblem})`,
  );
}

function readGreeting(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let received = '';
    const finish = (error: Error | undefined, line?: string): void => {
      socket.destroy();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(line ?? '');
    };
    const timer = setTimeout(() => finish(new Error('timed out waiting for the greeting')), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end !== -1) finish(undefined, received.slice(0, end));
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed before the greeting')));
  });
}
