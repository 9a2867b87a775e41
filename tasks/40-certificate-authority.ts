// Chapter 4, "Generating certificates with cfssl": the root certificate authority that signs every
// certificate of the cluster, and the CA configuration the signing uses. Everything lives in
// images/auth/ — the guide's `mkdir auth && cd auth` — and every command runs there:
//   ca-csr.json, ca-config.json   written once, then yours to edit, as the guide's files are
//   cfssl gencert -initca ca-csr.json | cfssljson -bare ca
// The CA is made once and never again: every certificate trusts it, so a new one would silently
// cut them all off (the guide's genauth.sh makes a new CA on every run). Only `kubenet reset
// 40-certificate-authority` removes it; the next run then makes a new CA and everything it signs.
import { authDir, caConfig, caCsr, task } from 'kubenet';

export default task({
  name: '40-certificate-authority',
  title: "The cluster's certificate authority: one CA that signs every certificate",
  main: 'ca-config',
  steps: [
    {
      step: 23,
      name: 'root-ca',
      title: 'Root Certificate Authority',
      summary: 'ca-csr.json, then the CA: ca.pem and ca-key.pem, made once (only reset makes a new one)',
      makes: [`${authDir}/ca.pem`, `${authDir}/ca-key.pem`, `${authDir}/ca.csr`],
      async make({ $, writeFile, generate }) {
        await writeFile(`${authDir}/ca-csr.json`, caCsr(), { template: true });
        await generate(
          {
            dir: authDir,
            from: ['ca-csr.json'],
            makes: ['ca.pem', 'ca-key.pem', 'ca.csr'],
            secret: ['ca-key.pem'],
            once: true,
            what: 'the CA',
            remakeHint:
              'put the missing file back (once delivered, each control VM holds ca.pem and ' +
              'ca-key.pem: kubenet ssh control0 -- cat FILE > images/auth/FILE), or make ' +
              'a new CA and everything it signs: kubenet reset 40-certificate-authority',
          },
          $`cfssl gencert -initca ca-csr.json`.pipe($`cfssljson -bare ca`),
        );
      },
    },
    {
      step: 24,
      name: 'ca-config',
      title: 'CA configuration file',
      summary: 'ca-config.json: the profile "kubernetes" every certificate is signed with (10 years)',
      needs: ['root-ca'],
      async make({ writeFile }) {
        await writeFile(`${authDir}/ca-config.json`, caConfig(), { template: true });
      },
    },
  ],
});
