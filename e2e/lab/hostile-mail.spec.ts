// Hostile mail through the real app (bridge, engine, MIME worker, sanitizer, sandboxed frame):
// nothing executes, nothing leaves the page without consent (and then only images), nothing
// navigates, header markup stays text, bidi tricks are neutralized, attachment names are safe, and
// MIME bombs and a 50 MB message leave the tab responsive.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { messageList, reader } from '../support/app.js';
import { expect, signIn, test, type LabFactory } from '../support/lab-test.js';
import {
  deepMimeBomb,
  hostileAttachmentMessage,
  hostileAttachments,
  hostileHeaderMessages,
  hostileHtmlMessages,
  plainTextUrlsMessage,
  remoteContentMessage,
  wideMimeBomb,
} from '../support/hostile-mail.js';
import type { Lab } from '../support/lab.js';
import { boundUnderLoad } from '../support/long-tasks.js';
import { longMail, plainMail } from '../support/mail.js';
import { startTripwire, type Tripwire } from '../support/tripwire.js';
import { watchPage, type PageWatch } from '../support/watch-page.js';

const password = randomUUID();
const account = { server: 'hostile', username: 'alice', password };

let tripwire: Tripwire;
test.beforeAll(async () => {
  tripwire = await startTripwire();
});
test.beforeEach(() => tripwire.reset());
test.afterAll(async () => {
  await tripwire.close();
});

function mailbox(lab: LabFactory, messages: Uint8Array[]): Promise<Lab> {
  return lab([
    { id: 'hostile', label: 'Hostile mail', accounts: [{ username: 'alice', password, messages }] },
  ]);
}

const row = (page: Page, subject: string | RegExp) =>
  messageList(page).getByRole('option', { name: subject });

/** Nothing ran, nothing navigated, nothing opened, nothing was fetched from outside the app. */
async function expectNothingHappened(page: Page, watch: PageWatch, app: Lab) {
  expect(watch.foreignRequests.map((request) => request.url())).toEqual([]);
  expect(tripwire.hits).toEqual([]);
  expect(watch.popups).toBe(0);
  expect(watch.dialogs).toBe(0);
  expect(watch.navigations).toEqual([]);
  expect(page.url()).toBe(`${app.url}/`);
  // The title is the app's own (the unread count before it, as the app writes it), set by no message.
  expect(await watch.tampering()).toEqual({
    messages: [],
    title: expect.stringMatching(/^(\(\d+\) Inbox — )?webpop$/),
    storage: [],
  });
}

/** The sanitized document the message frame shows: no active content, no URL that could fetch or run. */
async function frameDocumentFindings(page: Page): Promise<string[]> {
  return page.locator('iframe.html-body').evaluate((frame: HTMLIFrameElement) => {
    const doc = new DOMParser().parseFromString(frame.srcdoc, 'text/html');
    const findings: string[] = [];
    const forbidden =
      'script, iframe, frame, frameset, object, embed, applet, portal, svg, math, form, base, link, template, ' +
      'meta[http-equiv="refresh" i], video[src], audio[src], source[src], track';
    for (const element of doc.querySelectorAll(forbidden)) findings.push(`element ${element.nodeName}`);
    for (const element of doc.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const value = attribute.value.trim().toLowerCase();
        if (attribute.name.startsWith('on')) findings.push(`handler ${attribute.name}`);
        if (['srcdoc', 'formaction', 'action', 'ping'].includes(attribute.name))
          findings.push(attribute.name);
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        if (/^(?:javascript|vbscript|data:text)/.test(value.replace(/[\s\u0000-\u001f]/g, ''))) {
          findings.push(`${attribute.name}=${value.slice(0, 30)}`);
        }
        if (/^(?:https?:)?\/\//.test(value) && attribute.name !== 'href')
          findings.push(`remote ${attribute.name}`);
      }
    }
    const css = [...doc.querySelectorAll('style')].map((style) => style.textContent).join('\n');
    const inline = [...doc.querySelectorAll('[style]')]
      .map((element) => element.getAttribute('style'))
      .join('\n');
    if (/127\.0\.0\.1|@import/.test(css + inline)) findings.push('remote CSS');
    return findings;
  });
}

test('scripts in every form, CSS that fetches, meta refresh, base, forms, frames, objects: nothing runs or leaves', async ({
  page,
  lab,
}) => {
  const messages = hostileHtmlMessages(tripwire.origin);
  const app = await mailbox(lab, [...messages.map((message) => message.bytes), plainTextUrlsMessage()]);
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await expect(page.getByText(`${messages.length + 1} messages`, { exact: true })).toBeVisible();

  for (const { name } of messages) {
    await test.step(name, async () => {
      await row(page, `Hostile: ${name}`).click();
      const frame = page.frameLocator('iframe.html-body');
      await expect(frame.getByText(`Payload class: ${name}`)).toBeVisible();
      await expect(reader(page).locator('iframe.html-body')).toHaveAttribute(
        'sandbox',
        'allow-popups allow-popups-to-escape-sandbox',
      );
      expect(await frameDocumentFindings(page)).toEqual([]);
      // Touch what a person would: hover and click the message, its links and buttons.
      await frame.locator('body').hover();
      await frame.locator('body').click({ position: { x: 5, y: 5 } });
      for (const target of await frame.locator('a, button, summary').all())
        await target.click({ force: true });
      await page.waitForTimeout(200);
      await expectNothingHappened(page, watch, app);
    });
  }

  await row(page, 'Hostile: URLs in plain text').click();
  await expect(reader(page)).toContainText('javascript:alert(1)');
  await expect(reader(page)).toContainText('<a href="https://example.test/html">not a link</a>');
  // Only the http(s) URLs became links; the markup stayed text.
  const links = reader(page).getByRole('link');
  await expect(links).toHaveCount(2);
  expect(await links.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')))).toEqual([
    'https://example.test/html',
    'https://example.test/ok',
  ]);
  await expectNothingHappened(page, watch, app);
});

test('remote content loads only after "Show images", and then only images', async ({ page, lab }) => {
  const app = await mailbox(lab, [remoteContentMessage(tripwire.origin)]);
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await row(page, /Hostile: remote content/).click();
  const frame = page.frameLocator('iframe.html-body');
  await expect(frame.getByText('Payload class: remote content')).toBeVisible();
  await page.waitForTimeout(300);
  await expectNothingHappened(page, watch, app);

  await reader(page).getByRole('button', { name: 'Show images' }).click();
  await expect(frame.getByRole('img', { name: 'pixel' })).toBeVisible();
  await expect
    .poll(() => tripwire.hits.filter((hit) => hit.startsWith('/img/')).length)
    .toBeGreaterThanOrEqual(3);
  await page.waitForTimeout(300);
  expect(tripwire.hits.filter((hit) => !hit.startsWith('/img/'))).toEqual([]);
  expect(
    watch.foreignRequests
      .filter((request) => request.resourceType() !== 'image')
      .map((request) => request.url()),
  ).toEqual([]);
  expect(watch.popups).toBe(0);
  expect(watch.navigations).toEqual([]);
});

test('headers cannot put markup into the list or the reader, bidi overrides are neutralized, long values bounded', async ({
  page,
  lab,
}) => {
  const app = await mailbox(lab, hostileHeaderMessages(tripwire.origin));
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await expect(page.getByText('4 messages', { exact: true })).toBeVisible();
  const list = messageList(page);
  await expect(list.getByRole('option')).toHaveCount(4);
  await expect(list.locator('img, script, svg, b, iframe, a')).toHaveCount(0);

  const markup = row(page, /<img src=x onerror=/);
  await expect(markup).toContainText('<b>Bold</b> subject');
  await expect(markup).toContainText('<script>');
  await expect(row(page, /<svg onload=alert\(1\)>Encoded markup/)).toBeVisible();

  const bidi = row(page, /Invoice/);
  await expect(bidi).toContainText('Invoice gnp.exe isolated');
  await expect(bidi).toContainText('ecnanif');
  expect(await bidi.textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  // Each header value sits in its own bidi isolate, so it cannot reorder the rest of the row.
  await expect(bidi.locator('.subject')).toHaveAttribute('dir', 'auto');
  await expect(bidi.locator('.sender')).toHaveAttribute('dir', 'auto');

  const long = row(page, /Long subject/);
  expect((await long.locator('.subject').textContent())!.length).toBeLessThanOrEqual(1001);
  expect((await long.locator('.sender').textContent())!.length).toBeLessThanOrEqual(1001);

  await markup.click();
  const heading = reader(page).getByRole('heading', { level: 2 });
  await expect(heading).toContainText('<img src=x onerror=');
  await expect(reader(page).locator('article img, article script, article b')).toHaveCount(0);
  await expect(reader(page)).toContainText('<script>');
  await bidi.click();
  await expect(reader(page).getByRole('heading', { level: 2 })).toHaveText('Invoice gnp.exe isolated');
  await long.click();
  expect((await reader(page).getByRole('heading', { level: 2 }).textContent())!.length).toBeLessThanOrEqual(
    1001,
  );
  await expectNothingHappened(page, watch, app);
});

test('attachment names lose paths, dots, control characters and bidi overrides', async ({ page, lab }) => {
  const app = await mailbox(lab, [hostileAttachmentMessage()]);
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await row(page, /Hostile: attachment names/).click();
  await expect(reader(page)).toContainText('Attachments with hostile names.');
  const shown = await reader(page).locator('.attachment-name').allTextContents();
  expect(shown).toEqual(hostileAttachments.map(({ safe }) => safe));
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  for (const name of shown) expect(name).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]|\.\.|[\\/]/);
  for (const { safe, content } of hostileAttachments) {
    const button = reader(page).getByRole('button', { name: `Download ${safe}`, exact: true });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(safe);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(content);
  }
  await expectNothingHappened(page, watch, app);
});

test('MIME bombs (200 levels deep, 5,000 parts) are "too complex" and the tab stays responsive', async ({
  page,
  lab,
}) => {
  const small = plainMail({ subject: 'Small', body: 'A small message.' });
  const app = await mailbox(lab, [small, deepMimeBomb(200), wideMimeBomb(5000)]);
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await expect(page.getByText('3 messages', { exact: true })).toBeVisible();
  // The baseline for the stall bound (see the 50 MB test).
  await watch.startLagProbe();
  await row(page, /Small/).click();
  await expect(reader(page)).toContainText('A small message.');
  const baseline = await watch.longestLagMs();
  for (const which of ['deep', 'wide']) {
    await test.step(which, async () => {
      await watch.startLagProbe();
      await row(page, new RegExp(`MIME bomb, ${which}`)).click();
      // The worker's parse of 5,000 parts takes over 10 s at a load average of 16: off the main thread.
      await expect(reader(page).getByRole('alert')).toContainText(
        'This message is too complex to show safely',
        {
          timeout: 30_000,
        },
      );
      // The source is what is shown instead, cut to its first 512 KB.
      await expect(reader(page).getByRole('tab', { name: 'Source' })).toHaveAttribute(
        'aria-selected',
        'true',
      );
      const started = Date.now();
      await page.evaluate(() => document.title);
      const answered = Date.now() - started;
      const lag = await watch.longestLagMs();
      test.info().annotations.push({
        type: 'measured',
        description: `${which}: evaluate ${answered} ms, longest main-thread stall ${lag} ms (a small message: ${baseline} ms)`,
      });
      expect(answered).toBeLessThan(5000);
      expect(lag).toBeLessThan(boundUnderLoad(2000, baseline));
    });
  }
  await expectNothingHappened(page, watch, app);
});

test('a 50 MB message: progress while it downloads, a responsive tab, and its text shown cut, clearly', async ({
  page,
  lab,
}) => {
  // The app gives a message's parse 30 s plus 2 s for each whole MiB (parseBudgetMs in apps/web's
  // src/mime/limits.ts): 130 s for this one. The wait for its heading allows that budget and the download
  // before it, so a loaded machine shows the message, not a timeout (a flat 60 s wait and a flat 30 s
  // parse budget both ran out at a load average of 22; a quiet run takes about 10 s).
  const parseBudgetMs = 30_000 + 50 * 2_000;
  const headingWaitMs = 60_000 + parseBudgetMs;
  test.setTimeout(headingWaitMs + 90_000);
  const big = longMail('Fifty megabytes', 50 * 1024 * 1024, 'THE VERY LAST LINE');
  const small = plainMail({ subject: 'Small', body: 'A small message.' });
  // Shows the same 1,000,000 characters as the 50 MB one (its text is cut at the same place) from 1/45
  // of the bytes: the same rendering, so the two stalls differ only by what grows with the bytes.
  const cut = longMail('Just over the cut', 1.1 * 1024 * 1024, 'THE CUT LAST LINE');
  const app = await mailbox(lab, [small, cut, big]);
  const watch = await watchPage(page, app.url);
  await signIn(page, app, account);
  await expect(page.getByText('3 messages', { exact: true })).toBeVisible();
  await watch.startLagProbe();
  await row(page, /Small/).click();
  await expect(reader(page)).toContainText('A small message.');
  const smallLag = await watch.longestLagMs();
  // The baseline for the stall bound: the longest stall while the cut 1.1 MB message opens, in this run.
  await watch.startLagProbe();
  await row(page, /Just over the cut/).click();
  await expect(reader(page).getByRole('note')).toContainText(/very long: the first 1,000,000 of its/);
  const baseline = await watch.longestLagMs();
  await watch.startLagProbe();
  // Every progress the reader shows, recorded in the page (the download itself may take only a second).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const status = document.querySelector('.reader-progress');
      const bar = status?.querySelector('progress');
      if (status && bar) seen.push(`${status.querySelector('p')?.textContent} @${bar.getAttribute('value')}`);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await row(page, /Fifty megabytes/).click();

  const progress = reader(page).getByRole('progressbar', { name: 'Download progress' });
  const heading = reader(page).getByRole('heading', { name: 'Fifty megabytes' });
  await expect(progress).toBeVisible();
  // The main thread keeps answering while the bytes arrive and while the worker parses them.
  let slowest = 0;
  const deadline = Date.now() + headingWaitMs;
  while (!(await heading.isVisible()) && Date.now() < deadline) {
    const started = Date.now();
    await page.evaluate(() => document.title);
    slowest = Math.max(slowest, Date.now() - started);
    await page.waitForTimeout(250);
  }
  await expect(heading).toBeVisible();
  // Round trips include the test's own process and CDP (noisy on a loaded machine); the in-page probe
  // below is the precise measure of the main thread.
  expect(slowest).toBeLessThan(5000);
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  const downloading = seen.filter((entry) =>
    /^Downloading the message: .+ of 5\d(\.\d)?\sMB @[1-9]/.test(entry),
  );
  expect(downloading.length).toBeGreaterThan(0);
  expect(seen).toContain('Reading the message… @null');

  await expect(reader(page).getByRole('note')).toContainText(
    /very long: the first 1,000,000 of its [\d,]+ characters are shown/,
  );
  await expect(reader(page)).toContainText('All work and no play');
  await expect(reader(page)).not.toContainText('THE VERY LAST LINE');
  const lag = await watch.longestLagMs();
  test.info().annotations.push({
    type: 'measured',
    description: `50 MB: ${seen.length} progress updates, slowest evaluate ${slowest} ms, longest main-thread stall ${lag} ms (the cut 1.1 MB message: ${baseline} ms, a small one: ${smallLag} ms)`,
  });
  // 2 s, or 4 times the cut 1.1 MB message's stall on a loaded machine. Showing 1,000,000 characters is
  // most of the stall and grows with load: against the small message's stall the bound failed 2 runs of
  // 2 at a load average of 23 (3,628 and 3,739 ms). The stall this guards against was the whole parse on
  // the main thread, which grows with the bytes: 45 times the cut message's.
  expect(lag).toBeLessThan(boundUnderLoad(2000, baseline));
  await expectNothingHappened(page, watch, app);
});
