// Which task folders join kubenet's own: --tasks DIR, else ./tasks when there is one — except in a
// clone, where ./tasks is kubenet's own source folder. The package installed from its tarball has
// no tasks/ folder of its own: a project's ./tasks must still be found there, not crash the command.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { userTaskFolders } from '../../lib/cli/main.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('cli: the user task folders');
let dir: ReturnType<typeof tempDir>;
const cwd = process.cwd();

test.before.each(() => {
  dir = tempDir('kubenet-task-folders-');
  mkdirSync(join(dir.path, 'project', 'tasks'), { recursive: true });
  process.chdir(join(dir.path, 'project'));
});
test.after.each(() => {
  process.chdir(cwd);
  dir.remove();
});

test("installed from the tarball (no tasks/ in the package): the project's ./tasks is the user's", () => {
  mkdirSync(join(dir.path, 'package'));
  assert.equal(userTaskFolders(undefined, join(dir.path, 'package')), [
    { dir: join(dir.path, 'project', 'tasks'), builtIn: false },
  ]);
});

test("a clone: ./tasks is kubenet's own source folder, not a user's (also through a link)", () => {
  assert.equal(userTaskFolders(undefined, join(dir.path, 'project')), []);
  symlinkSync(join(dir.path, 'project'), join(dir.path, 'clone'));
  assert.equal(userTaskFolders(undefined, join(dir.path, 'clone')), []);
});

test('--tasks DIR is used as given; one that does not exist is a usage error', () => {
  assert.equal(userTaskFolders('tasks', join(dir.path, 'project')), [
    { dir: join(dir.path, 'project', 'tasks'), builtIn: false },
  ]);
  assert.throws(() => userTaskFolders('nowhere', join(dir.path, 'package')), /tasks folder nowhere: no such folder/);
});

test('no ./tasks and no --tasks: no user folder', () => {
  process.chdir(dir.path);
  assert.equal(userTaskFolders(undefined, join(dir.path, 'package')), []);
});

test.run();
