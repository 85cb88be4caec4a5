import type { ConnectionArgs } from '../args.js';
import { withMailbox } from '../connect.js';
import { formatBytes } from '../format.js';
import { println, type Io } from '../io.js';

/** Number of messages and their total size. */
export async function statCommand(io: Io, args: ConnectionArgs): Promise<number> {
  const { count, size } = await withMailbox(io, args, (client) => client.stat());
  if (args.json) println(io.stdout, JSON.stringify({ count, size }));
  else println(io.stdout, `${count} message${count === 1 ? '' : 's'}, ${size} bytes (${formatBytes(size)})`);
  return 0;
}
