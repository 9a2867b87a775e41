// The ISO writer's public face: build an image in memory, or write one atomically.
export { buildIso } from './build-iso.js';
export { writeIso } from './write-iso.js';
export type { IsoFile, IsoOptions } from './types.js';
