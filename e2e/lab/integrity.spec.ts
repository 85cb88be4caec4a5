// A message that does not arrive as the server described it (its size differs from LIST) is never
// shown as if it were the message: the reader says so, in the user's words, and the session goes on.
import { randomUUID } from 'node:crypto';
import { messageList, reader } from '../support/app.js';
import { expect, signIn, test } from '../support/lab-test.js';
import { numberedMails } from '../support/mail.js';

const password = randomUUID();

test('a size that disagrees with LIST: the reader shows the integrity error, not the message', async ({
  page,
  lab,
}) => {
  const server = await lab([
    {
      id: 'sizes',
      label: 'Server with a wrong LIST size',
      accounts: [{ username: 'alice', password, messages: numberedMails(2) }],
      quirks: { listSizes: { 2: 10 } },
    },
  ]);
  await signIn(page, server, { server: 'sizes', username: 'alice', password });
  const row = (subject: string) =>
    messageList(page).getByRole('option', { name: new RegExp(`${subject}\\b`) });
  await row('Message 2').click();
  await expect(reader(page).getByRole('alert')).toContainText(
    'did not arrive as the mail server described it',
  );
  await expect(reader(page).getByRole('heading', { name: 'Message 2' })).toHaveCount(0);
  await row('Message 1').click();
  await expect(reader(page).getByRole('heading', { name: 'Message 1' })).toBeVisible();
});
