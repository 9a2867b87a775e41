// setpriv (util-linux) is on every Debian/Ubuntu; kubenet uses it when present, see launch-plan.ts.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

let cached: Promise<string | undefined> | undefined;

export function findSetpriv(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (process.platform !== 'linux') return Promise.resolve(undefined);
  cached ??= (async () => {
    const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/bin', '/bin'].filter((d) => d !== '');
    for (const dir of dirs) {
      const file = join(dir, 'setpriv');
      if (
        await access(file, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return file;
    }
    return undefined;
  })();
  return cached;
}
