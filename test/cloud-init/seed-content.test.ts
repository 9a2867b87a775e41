import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideUserData, seedContent, seedUserData } from '../../lib/cloud-init/seed-content.js';

const test = suite('seedContent');

test("user-data is the guide's, with the password kept valid and the SSH key", () => {
  assert.is(guideUserData, '#cloud-config\npassword: ubuntu\n');
  assert.is(seedUserData(), '#cloud-config\npassword: ubuntu\nchpasswd: { expire: false }\n');
  assert.is(
    seedUserData('ssh-ed25519 AAAA me@host\n'),
    '#cloud-config\npassword: ubuntu\nchpasswd: { expire: false ' +
      '}\nssh_authorized_keys:\n  - ssh-ed25519 AAAA me@host\n',
  );
});

test('the seed does not let cloud-init expire the password (OpenSSH would refuse commands without a terminal)', () => {
  const { userData } = seedContent({ hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 AAAA' });
  assert.match(userData, /^chpasswd: \{ expire: false \}$/m);
  assert.match(userData, /^password: ubuntu$/m);
});

test('meta-data names the instance and the host', () => {
  const s = seedContent({ hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 AAAA' });
  assert.match(s.metaData, /^instance-id: ubuntu0-[0-9a-f]{12}\nlocal-hostname: ubuntu0\n$/);
  assert.ok(s.metaData.includes(s.instanceId));
});

test('the same config keeps the instance-id; a changed one gets a new one', () => {
  const a = seedContent({ hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 AAAA' });
  const b = seedContent({ hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 AAAA' });
  const c = seedContent({ hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 BBBB' });
  const d = seedContent({ hostname: 'ubuntu1', sshPublicKey: 'ssh-ed25519 AAAA' });
  assert.is(a.instanceId, b.instanceId);
  assert.is.not(a.instanceId, c.instanceId);
  assert.is.not(a.instanceId, d.instanceId);
});

test("the user's own user-data is used as is", () => {
  const own = '#cloud-config\npackages: [htop]\n';
  assert.is(seedContent({ hostname: 'ubuntu0', userData: own }).userData, own);
});

test.run();
