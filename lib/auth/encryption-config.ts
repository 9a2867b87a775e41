// The guide's genenckey.sh: a random 32-byte key for kube-apiserver's aescbc provider, wrapped in
// an EncryptionConfig. The guide runs `head -c 32 /dev/urandom | base64`; kubenet draws the same
// 32 bytes from the system's random source itself and writes the same YAML.
import { randomBytes } from 'node:crypto';

export const encryptionConfigFile = 'encryption-config.yaml';

export function encryptionConfig(key: Buffer = randomBytes(32)): string {
  return `kind: EncryptionConfig
apiVersion: v1
resources:
  - resources:
      - secrets
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: ${key.toString('base64')}
      - identity: {}
`;
}

// The key an encryption config holds, or undefined when it holds none of 32 bytes.
export function encryptionKeyOf(text: string): Buffer | undefined {
  const secret = /^\s+secret:\s*(\S+)\s*$/m.exec(text)?.[1];
  const key = secret ? Buffer.from(secret, 'base64') : undefined;
  return key?.length === 32 ? key : undefined;
}
