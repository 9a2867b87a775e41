// Chapter 4, "Generating cluster data encryption key": the guide's genenckey.sh — 32 random bytes
// (`head -c 32 /dev/urandom | base64`) in an EncryptionConfig for kube-apiserver's aescbc
// provider, images/auth/encryption-config.yaml. Made once (genenckey.sh makes a new key on every
// run, which would leave the secrets already encrypted unreadable); private (0600).
import { authDir, encryptionConfig, encryptionConfigFile, task } from 'kubenet';

export default task({
  name: '43-encryption-key',
  title: "The cluster's data encryption key (secrets in etcd, aescbc)",
  steps: [
    {
      step: 34,
      name: 'encryption-config',
      title: 'Generating cluster data encryption key',
      summary: 'encryption-config.yaml with a random 32-byte key: made once',
      makes: [`${authDir}/${encryptionConfigFile}`],
      async make({ writeFile, note, dryRun }) {
        const written = await writeFile(`${authDir}/${encryptionConfigFile}`, encryptionConfig(), {
          keep: true,
          mode: 0o600,
        });
        if (!dryRun)
          note(
            written
              ? `made ${encryptionConfigFile} with a new random key`
              : `${encryptionConfigFile} is kept: its key encrypts the cluster's secrets (only reset makes a new one)`,
          );
      },
    },
  ],
});
