// One message must not freeze the tab: the adversarial shapes that did (issue 22) — a plain-text body
// of "a.a.a…" for the linkifier, a 1 MiB folded From: of "a,a,…" for the address splitter while only
// listing, 60,000 nested <b> (751 KiB) and 150,000 nested <div> in HTML, which DOMPurify and the
// browser's parser took 64–70 s and 32–37 s to sanitize — and HTML just under the caps (9,900 elements,
// 250 deep), which is sanitized and shown: DOMPurify runs in the sanitizer frame (an opaque origin,
// its own process in Chromium), and the same message sanitized in the page itself is measured beside it.
// Timed in Chromium as the longest main-thread task while the mailbox lists and each message opens.
// Target: no task over 200 ms (on a loaded machine: 4 times the longest task of the app's start in the
// same run, if that is more; see boundUnderLoad). The HTML beyond the depth and element limits is never
// rendered: the reader says it is too complex to show, and its source and download work.
import { randomUUID } from 'node:crypto';
import type { Locator } from '@playwright/test';
import { reader, submitSignIn } from '../support/app.js';
import { expect, test } from '../support/lab-test.js';
import { boundUnderLoad, longestTask, resetLongest, watchLongTasks } from '../support/long-tasks.js';
import { crlf } from '../support/mail.js';

const password = randomUUID();
const account = { server: 'heavy', username: 'alice', password };
const TARGET_MS = 200;
const KiB = 1024;
// Inside a measured window the test waits with `waitFor`, not `expect`: Playwright 1.65's expect takes
// an ARIA snapshot of the page at every poll that fails (for its error message), a main-thread task of
// the harness's own: 27 ms of CPU (437 ms of wall time at load 17) in the listing window alone.
const shows = (locator: Locator, timeout?: number) => locator.waitFor({ state: 'visible', timeout });

function message(subject: string, from: string, headers: string[], body: string): Uint8Array {
  return new TextEncoder().encode(
    crlf(
      [
        `From: ${from}`,
        'To: alice@example.test',
        `Subject: ${subject}`,
        'Date: Mon, 02 Nov 2026 09:00:00 +0000',
      ]
        .concat(['MIME-Version: 1.0', ...headers, '', body])
        .join('\n'),
    ),
  );
}

/** One line of `piece` repeated to `bytes`, in quoted-printable soft-broken lines (decoded: one line). */
function softBroken(piece: string, bytes: number): string {
  const text = piece.repeat(Math.ceil(bytes / piece.length));
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 75) lines.push(text.slice(i, i + 75));
  return lines.join('=\n');
}

const sender = 'Sender <sender@example.test>';
const html = ['Content-Type: text/html; charset=utf-8'];
const nested = (tag: string, count: number) =>
  // Lines of 1,000 characters: the tags are what they are, only the line ends are the wire's.
  `${`<${tag}>`.repeat(count)}deep${`</${tag}>`.repeat(count)}`.replace(/(.{1000})/g, '$1\n') + '\n';

const ordinary = message(
  'Ordinary',
  sender,
  html,
  `<h1>Newsletter</h1>${'<table><tr><td><p>An <b>ordinary</b> <a href="https://example.test/">item</a></p></td></tr></table>'.repeat(300)}`,
);
const dots = message(
  'Dots',
  sender,
  ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
  softBroken('a.', 900 * KiB),
);
const commas = message(
  'Commas',
  Array.from({ length: (1024 * KiB) / 4 }, () => 'a,').join('\n '),
  ['Content-Type: text/plain; charset=utf-8'],
  'A sender of a million commas.',
);
const row = '<tr><td><p>An <b>ordinary</b> <a href="https://example.test/">item</a></p></td></tr>';
// Just under the caps (mimeLimits: 10,000 elements, 256 deep), so they are sanitized and shown: in the
// page, DOMPurify took 338–1360 ms over such 10,000 elements at load averages of 4–6 on 2 cores.
const atElementCap = message('Many', sender, html, `<h1>Many</h1><table>${row.repeat(1_980)}</table>`);
const atDepthCap = message('Deep', sender, html, `<h1>Deep</h1>${nested('div', 250)}`);
const bold = message('Bold', sender, html, nested('b', 60_000));
const divs = message('Divs', sender, html, nested('div', 150_000));

test('listing and opening the adversarial messages: no main-thread task over 200 ms', async ({
  page,
  context,
  lab,
}) => {
  test.setTimeout(180_000);
  const app = await lab([
    {
      id: 'heavy',
      label: 'Heavy mail',
      accounts: [
        {
          username: 'alice',
          password,
          messages: [ordinary, dots, commas, atElementCap, atDepthCap, bold, divs],
        },
      ],
    },
  ]);
  await watchLongTasks(page);
  await page.goto(app.url);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const start = await longestTask(page); // a baseline: the app's own start, at this machine's load
  await resetLongest(page);
  await submitSignIn(page, { server: account.server, user: account });
  await shows(page.getByText('7 messages', { exact: true }));
  // Its From: fills the 64 KiB the list reads, so its Subject is beyond the cut: the row says so.
  const cutRow = page.getByRole('option', { name: /headers cut/ });
  await shows(cutRow);
  const measured = new Map<string, number>([['listing', await longestTask(page)]]);

  const open = async (subject: string, shown: () => Promise<void>) => {
    await resetLongest(page);
    await (subject === 'Commas' ? cutRow : page.getByRole('option', { name: subject })).click();
    // The MIME worker's parse (of a 1 MiB From:, say) takes seconds on a loaded machine: off the main thread.
    await shows(reader(page).getByRole('heading', { name: subject }), 30_000);
    await shown();
    measured.set(`opening ${subject}`, await longestTask(page));
  };
  const frame = () => reader(page).locator('iframe.html-body');
  // The baseline: an ordinary HTML message of 300 tables, first opened (the reader's chunk loads too).
  await open('Ordinary', () => shows(frame().contentFrame().getByText('Newsletter')));
  await open('Many', () => shows(frame().contentFrame().getByRole('heading', { name: 'Many' })));
  await expect(frame().contentFrame().getByRole('link', { name: 'item' })).toHaveCount(1_980);
  await open('Deep', () => shows(frame().contentFrame().getByRole('heading', { name: 'Deep' })));
  // Sanitized whole: all 250 levels kept (the browser's own parser nests up to 512).
  expect(((await frame().getAttribute('srcdoc')) ?? '').match(/<div>/g)).toHaveLength(250);
  // Laid out in blocks that layout skips until they near the viewport (one unbreakable line of it took
  // 333–369 ms in one task on a quiet machine): its last block shows when scrolled to.
  const plain = reader(page).locator('.plain-text');
  await open('Dots', () => shows(plain.getByText(/a\.a\.a\.a/).first()));
  await resetLongest(page);
  await plain.locator('.text-block').last().scrollIntoViewIfNeeded();
  await page.evaluate(
    () => new Promise((shown) => requestAnimationFrame(() => requestAnimationFrame(shown))),
  );
  measured.set('scrolling Dots to its end', await longestTask(page));
  await expect(plain.locator('.text-block').last()).toBeInViewport();
  await open('Commas', () => shows(reader(page).getByText('A sender of a million commas.')));
  const tooComplex = 'This message is too complex to show; view the source or download it.';
  for (const subject of ['Bold', 'Divs']) {
    await open(subject, () =>
      shows(
        reader(page)
          .getByRole('alert')
          .filter({ hasText: /too complex to show/ }),
      ),
    );
    await expect(reader(page).getByRole('alert')).toContainText(tooComplex);
    await expect(frame()).toHaveCount(0); // nothing of it was sanitized nor rendered
  }
  // What the note offers works: the source view, and the download of the message's exact bytes.
  await reader(page).getByRole('button', { name: 'View source' }).click();
  await expect(reader(page).getByRole('tab', { name: 'Source' })).toHaveAttribute('aria-selected', 'true');
  await expect(reader(page).locator('.source-view')).toContainText('<div><div><div>');
  await reader(page).getByRole('tab', { name: 'Message' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    reader(page).getByRole('alert').getByRole('button', { name: 'Save as .eml' }).click(),
  ]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(Buffer.from(divs))).toBe(true);

  // The peer, side by side in the same run: the same message sanitized in the page itself (the fallback
  // where the sanitizer frame cannot load — here its page is refused).
  const inPage = await context.newPage();
  await watchLongTasks(inPage);
  await inPage.route('**/sanitizer.html', (route) => route.abort());
  await inPage.goto(app.url);
  await submitSignIn(inPage, { server: account.server, user: account });
  await shows(inPage.getByText('7 messages', { exact: true }));
  await resetLongest(inPage);
  await inPage.getByRole('option', { name: 'Many' }).click();
  const inPageFrame = reader(inPage).locator('iframe.html-body').contentFrame();
  await shows(inPageFrame.getByRole('heading', { name: 'Many' }), 30_000);
  const sanitizedInPage = await longestTask(inPage);
  await inPage.close();

  const summary = [
    ['app start', start] as const,
    ...measured,
    ['opening Many, sanitized in the page', sanitizedInPage] as const,
  ]
    .map(([what, ms]) => `${what}: ${ms} ms`)
    .join('; ');
  test.info().annotations.push({ type: 'measured', description: `longest main-thread task: ${summary}` });
  console.log(`longest main-thread task: ${summary}`);
  const baseline = Math.max(start, measured.get('opening Ordinary')!);
  const bound = boundUnderLoad(TARGET_MS, baseline);
  for (const [what, ms] of measured) {
    if (what !== 'opening Ordinary') expect(ms, `${what} (bound ${bound} ms)`).toBeLessThanOrEqual(bound);
  }
  // Where the page's own DOMPurify is over the target, the frame takes that cost off the main thread.
  if (sanitizedInPage > TARGET_MS) expect(measured.get('opening Many')!).toBeLessThan(sanitizedInPage / 2);
});
