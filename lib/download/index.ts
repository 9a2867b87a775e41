// The download library: verified, resumable, cached, locked downloads of the guide's artifacts.
// Commands load it only when they fetch (the no-op run never does).
export { fetchArtifact } from './fetch-artifact.js';
export { fetchAll, cacheKey } from './fetch-all.js';
