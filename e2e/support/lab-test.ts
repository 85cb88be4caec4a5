// The testkit project's test object: a `lab` fixture (each lab closed when its test ends).
import { test as base, expect, type Page } from '@playwright/test';
import { submitSignIn } from './app.js';
import { startLab, type Lab, type LabServer } from './lab.js';

export { expect };

/** Starts a lab for the test; every lab is closed when the test ends. */
export type LabFactory = (
  servers: readonly LabServer[],
  bridgeConfig?: Record<string, unknown>,
) => Promise<Lab>;

export const test = base.extend<{ lab: LabFactory }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from it
  lab: async ({}, use) => {
    const labs: Lab[] = [];
    await use(async (servers, bridgeConfig) => {
      const lab = await startLab(servers, bridgeConfig);
      labs.push(lab);
      return lab;
    });
    for (const lab of labs) await lab.close();
  },
});

/** Opens the app and signs in to a configured server through the form, as a person would. */
export async function signIn(
  page: Page,
  lab: Lab,
  { server, username, password }: { server: string; username: string; password: string },
): Promise<void> {
  await page.goto(lab.url);
  await submitSignIn(page, { server, user: { username, password } });
}
