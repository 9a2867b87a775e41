// Runs one fetchArtifact in its own process, for tests that kill it or run two at once.
// argv: <images dir> <artifact url> <mirror> ; prints the FetchResult as JSON on success.
import { fetchArtifact } from '../../lib/download/index.js';
import { makePaths } from '../../lib/paths.js';

const [root, url, mirror] = process.argv.slice(2);
try {
  const result = await fetchArtifact(
    { url: url! },
    {
      paths: makePaths(root!),
      mirror: mirror!,
      lockPollMs: 50,
      backoffMs: 10,
      progressMs: 0,
      log: (line) => process.stderr.write(`${line}\n`),
      onProgress: (p) => process.stderr.write(`progress ${p.received}\n`),
    },
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
