// Every group `pnpm bench` knows, in the order it runs them by default. A new group is a file in this
// folder exporting `(options: BenchOptions) => Promise<GroupOutcome>` and one line here (see README.md).
import type { Group } from '../lib/group.js';
import { bigGroup } from './big.js';
import { concurrencyGroup } from './concurrency.js';
import { downloadGroup } from './download.js';
import { engineGroup } from './engine.js';
import { fixtureGroup } from './fixture.js';
import { listingGroup } from './listing.js';
import { searchPageGroup } from './search-main-thread.js';
import { searchGroup } from './search.js';
import { smtpGroup } from './smtp.js';
import { snippetsGroup } from './snippets.js';
import { storeGroup } from './store.js';
import { webGroup } from './web.js';

export const groups: Record<string, Group> = {
  listing: {
    run: listingGroup,
    what: 'sign-in to last row in Chromium vs poplib vs raw pipelining, Dovecot',
  },
  download: {
    run: downloadGroup,
    what: 'RETR 50 MB: bridge vs minimal relay vs direct TCP vs websockify vs curl',
  },
  concurrency: {
    run: concurrencyGroup,
    what: '1,000 concurrent sessions: bridge vs minimal relay vs websockify',
  },
  web: { run: webGroup, what: 'bundle size, time to sign-in form, worker parse times, scroll jank' },
  engine: {
    run: engineGroup,
    what: 'the engine alone: reply throughput, pipelined vs one-at-a-time listing',
  },
  big: {
    run: bigGroup,
    what: '100,000 messages in Chromium (time, memory, long tasks, scrolling); opening a 50 MB message',
  },
  fixture: { run: fixtureGroup, what: 'delivery to waitForMessage vs a poplib poll loop' },
  smtp: {
    run: smtpGroup,
    what: 'SMTP to Postfix: 25 MB attachment via bridge vs curl/nodemailer; 100 messages ± PIPELINING',
  },
  search: {
    run: searchGroup,
    what: "search index: postings.ts vs FlexSearch behind the app's interface, 10k and 100k messages",
  },
  'search-snippets': {
    run: snippetsGroup,
    what: 'search: a listing of 10,000 with snippets (TOP n 10) vs without (TOP n 0): time, bytes, decoding CPU',
  },
  'search-page': {
    run: searchPageGroup,
    what: 'search: the longest main-thread task in Chromium while the worker indexes 10,000 kept messages',
  },
  store: {
    run: storeGroup,
    what: 'mail store: 1,000 × 50 KB kept in Chromium vs webpop fetch; bytes per byte; 10,000 opened cold; mbox export memory',
  },
};
