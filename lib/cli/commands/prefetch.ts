// `kubenet prefetch [task…]`: placeholder until the download library lands.
import { ExitCode, KubenetError } from '../../errors.js';
import type { CommandInput } from '../main.js';

export async function prefetch(_input: CommandInput): Promise<number> {
  throw new KubenetError('prefetch is not available yet', { code: ExitCode.failure });
}
