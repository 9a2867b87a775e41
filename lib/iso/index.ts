// The ISO writer's public face: build an image in memory.
export { buildIso } from './build-iso.js';
export type { IsoFile, IsoOptions } from './types.js';
