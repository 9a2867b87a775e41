// What doctor counts as still to download: by the name a download has here — the live ISO's is
// found (ubuntu-22.04.5-…), not the guide's, so once it is there it is not pending.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pendingDownloads } from '../../lib/doctor/download-sizes.js';
import { makePaths } from '../../lib/paths.js';
import { nameHere } from '../../lib/runner/download-names.js';
import { chapterDownloads } from '../helpers/chapter-tasks.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('pendingDownloads');

test(
  'a live ISO found under its released name is not pending; ' + 'the cloud image not yet here is, less its partial',
  () => {
    const dir = tempDir('kubenet-pending-');
    try {
      const paths = makePaths(join(dir.path, 'images'));
      mkdirSync(join(paths.meta, 'downloads'), { recursive: true });
      const found = 'ubuntu-22.04.5-desktop-amd64.iso';
      writeFileSync(paths.artifact(found), 'iso');
      writeFileSync(
        paths.downloadRecord(found),
        JSON.stringify({
          url: `https://releases.ubuntu.com/jammy/${found}`,
          size: 3,
          sha256: 'a'.repeat(64),
          identity: {},
          sums: {},
          verifiedAt: 1,
        }),
      );
      writeFileSync(paths.partial('jammy-server-cloudimg-amd64.img'), Buffer.alloc(1000));
      const named = (d: (typeof chapterDownloads)[number]) =>
        nameHere(d, 'x86_64', { paths, settings: { sources: {} } }).file;
      const pending = pendingDownloads(paths, 'x86_64', chapterDownloads, named);
      assert.equal(pending, [{ file: 'jammy-server-cloudimg-amd64.img', bytes: 0.7e9 - 1000 }]);
      assert.equal(
        pendingDownloads(paths, 'x86_64', chapterDownloads)
          .map((p) => p.file)
          .sort(),
        ['jammy-desktop-amd64.iso', 'jammy-server-cloudimg-amd64.img'],
        "by the guide's names it would never be done",
      );
    } finally {
      dir.remove();
    }
  },
);

test.run();
