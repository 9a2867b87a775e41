// One benchmark contender in its own process, so its peak RSS is its own.
// argv: <images root> <mirror> <url>… ; prints { ms, maxRssMB, transferred } as JSON. BENCH_CACHE
// names a shared download cache to go through (none otherwise).
import { fetchAll } from '../lib/download/index.js';
import { makePaths } from '../lib/paths.js';

const [root, mirror, ...urls] = process.argv.slice(2);
const start = performance.now();
const results = await fetchAll(
  urls.map((url) => ({ url })),
  {
    paths: makePaths(root!),
    mirror: mirror!,
    ...(process.env.BENCH_CACHE ? { cache: process.env.BENCH_CACHE } : {}),
    log: (l) => process.stderr.write(`${l}\n`),
  },
);
const ms = performance.now() - start;
const transferred = results.reduce((n, r) => n + r.transferred, 0);
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    transferred,
    statuses: results.map((r) => r.status),
  }) + '\n',
);
