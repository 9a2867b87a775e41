// `npm run bench`: every benchmark prints its result as a ratio against a baseline measured
// in the same run. `npm run bench -- noop download` runs a subset.
const suites: Record<string, () => Promise<void>> = {
  noop: async () => (await import('./noop-run.js')).benchNoopRun(),
  download: async () => (await import('./download.js')).benchDownload(),
  boot: async () => (await import('./boot.js')).benchBoot(),
  'cloud-image': async () => (await import('./cloud-image.js')).benchCloudImage(),
  'real-guest': async () => (await import('./real-guest.js')).benchRealGuest(),
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run();
}
