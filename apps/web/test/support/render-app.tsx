import { configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect } from 'vitest';
import { App } from '../../src/components/App.js';
import { StoreProvider } from '../../src/store/context.js';
import { setup, threeMessages } from './app.js';

// Every findBy/waitFor in the app's UI tests waits up to 30 s for its condition, not the library's 1 s:
// on 2 cores at a load average of 17-20 a lazy part's first load (the reader, the protocol log) or a
// strict-durability write took over 1 s and failed tests that pass in well under a second on a quiet
// machine. A longer wait only lets a true condition be seen; a false one still fails.
configure({ asyncUtilTimeout: 30_000 });

/** jsdom has no layout: gives the virtualized list a size so rows render (call in beforeAll). */
export function giveLayout(): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
}

/** The whole app over `setup`'s store and fake server, with a user to drive it. */
export function renderApp(options: Parameters<typeof setup>[1] = {}, messages = threeMessages()) {
  const app = setup(messages, options);
  render(
    <StoreProvider store={app.store}>
      <App />
    </StoreProvider>,
  );
  return { ...app, user: userEvent.setup() };
}

/** Signs in as demo through the form; resolves with the message list. */
export async function signIn(user: ReturnType<typeof userEvent.setup>) {
  const server = await screen.findByRole('combobox', { name: 'Server' });
  await waitFor(() => expect(server).toHaveProperty('value', 'demo'));
  await user.type(screen.getByRole('textbox', { name: 'Username' }), 'demo');
  await user.type(screen.getByLabelText('Password'), 'demo');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  // The mailbox's first render loads its lazy parts: over findBy's 1 s at load 19 (2 cores); the 30 s
  // configured above applies.
  return screen.findByRole('listbox', { name: 'Messages' });
}
