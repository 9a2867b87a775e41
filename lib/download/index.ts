// The download library: verified, resumable, cached, locked downloads of the guide's artifacts.
export { fetchArtifact } from './fetch-artifact.js';
export { fetchAll, cacheKey } from './fetch-all.js';
export { fileNameOf, sumsUrlOf, upstreamUrl, viaMirror } from './source-url.js';
export type { Artifact, FetchOptions, FetchResult, FetchStatus, Progress } from './types.js';
