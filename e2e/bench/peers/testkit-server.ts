// testkit's POP3 server in a process of its own (so the clients and the bridge measured beside it do
// not share its event loop). Reads the password from BENCH_POP3_PASSWORD, prints {"port":…} and
// serves until killed.
import { generateMessages, startPop3Server } from '@webpop/testkit';

const password = process.env.BENCH_POP3_PASSWORD;
if (!password) throw new Error('BENCH_POP3_PASSWORD is not set');
const server = await startPop3Server({
  accounts: [
    { username: 'bench', password, messages: generateMessages(20, { seed: 11, headerBytes: 1024 }) },
  ],
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
