// Makes one VM's firmware variables in its own process, for tests that kill it mid-copy.
// argv: <images dir> <template> <target>; prints "copying" just before the copy starts.
import { ensureFirmwareVars } from '../../lib/disk/firmware-vars.js';

const [root, template, target] = process.argv.slice(2);
process.stdout.write('copying\n');
await ensureFirmwareVars(root!, template!, target!);
process.stdout.write('done\n');
