// One download: a file at a URL (fetch-file.ts), or one whose name is found among the places
// upstream publishes it (find-elsewhere.ts).
import { fetchFile } from './fetch-file.js';
import { fetchFound } from './find-elsewhere.js';
import type { Artifact, FetchOptions, FetchResult } from './types.js';

export function fetchArtifact(artifact: Artifact, options: FetchOptions): Promise<FetchResult> {
  return artifact.elsewhere?.length ? fetchFound(artifact, options) : fetchFile(artifact, options);
}
