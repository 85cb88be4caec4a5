import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect } from 'vitest';
import { App } from '../../src/components/App.js';
import { StoreProvider } from '../../src/store/context.js';
import { setup, threeMessages } from './app.js';

/** jsdom has no layout: gives the virtualized list a size so rows render (in a `beforeAll`). */
export function giveLayout(): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
}

export function renderApp(options: Parameters<typeof setup>[1] = {}, messages = threeMessages()) {
  const app = setup(messages, options);
  render(
    <StoreProvider store={app.store}>
      <App />
    </StoreProvider>,
  );
  return { ...app, user: userEvent.setup() };
}

export async function signIn(user: ReturnType<typeof userEvent.setup>) {
  const server = await screen.findByRole('combobox', { name: 'Server' });
  await waitFor(() => expect(server).toHaveProperty('value', 'demo'));
  await user.type(screen.getByRole('textbox', { name: 'Username' }), 'demo');
  await user.type(screen.getByLabelText('Password'), 'demo');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  // The mailbox's first render loads its lazy parts: over findBy's 1 s at load 19 (2 cores).
  return screen.findByRole('listbox', { name: 'Messages' }, { timeout: 10_000 });
}
