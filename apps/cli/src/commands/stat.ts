import type { ConnectionArgs } from '../args.js';
import { endSession, openMailbox } from '../connect.js';
import { formatBytes } from '../format.js';
import { println, type Io } from '../io.js';

/** Number of messages and their total size. */
export async function statCommand(io: Io, args: ConnectionArgs): Promise<number> {
  const client = await openMailbox(io, args);
  try {
    const { count, size } = await client.stat();
    if (args.json) println(io.stdout, JSON.stringify({ count, size }));
    else
      println(io.stdout, `${count} message${count === 1 ? '' : 's'}, ${size} bytes (${formatBytes(size)})`);
  } catch (error) {
    client.close();
    throw error;
  }
  await endSession(client);
  return 0;
}
