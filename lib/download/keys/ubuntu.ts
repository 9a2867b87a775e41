// Ubuntu's two image-signing keys, pinned by fingerprint, and which of them signs the SHA256SUMS of
// each directory kubenet downloads from. Public sources agree on the split: Ubuntu's image-verification
// documentation (documentation.ubuntu.com/security, "Ubuntu image integrity verification") names the
// CD Image key for all installation media (releases.ubuntu.com, cdimage.ubuntu.com); its cloud-image
// documentation (canonical/ubuntu-cloud-docs, verify-image-checksum) names the UEC Image key for
// cloud-images.ubuntu.com. Each block below is that key exactly as Debian's ubuntu-keyring
// 2023.11.28.1-0.2 ships it (usr/share/keyrings/ubuntu-archive-keyring.gpg and
// ubuntu-cloudimage-keyring.gpg), exported alone with `gpg --armor --export FINGERPRINT` (which drops
// the keyring's local trust packets); `gpg --show-keys` printed the pinned fingerprints for them, and
// gpgv verified real published pairs with them (cloud-images' releases/22.04 of 2026-07-22 by the UEC
// key, releases.ubuntu.com's 20.04.1 of 2020-08-06 by the CD key). test/download/keys checks the blocks
// against the fingerprints on every run.

export interface PinnedKey {
  name: string; // the key's user ID, as messages name it
  fingerprint: string; // 40 upper-case hex digits: what kubenet trusts; the block must match it
  armored: string;
}

export const ubuntuCdImageKey: PinnedKey = {
  name: 'Ubuntu CD Image Automatic Signing Key (2012) <cdimage@ubuntu.com>',
  fingerprint: '843938DF228D22F7B3742BC0D94AA3F0EFE21092',
  armored: `-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBE+tjmgBEAC7pKK78t89DW7mvMoSgiScLfPNF8/TSF380is0hFRL3dOmcXEf
NsX26jtv8bdvvtkElB1fPwOntmqSAsrLOuURVQ6GSxH7IDU5QFfaTIsudtLR5YTl
C3ZuOTOb1HWEK26fDRXuIWjhFDXJH3KLv+rSrq0+x7ZtH++CHq5XJWk7VUh/wWcG
xZefs7+1HTivymhjXCOwQvqblzZ5MAec9i4QIXxkqX1HY7ryxGVdjj9lApOnoU5E
cSYr08cm7xQEgrdDLAZFQxDYBLDuV6E6jKEfAfwZINSEe4Ocm82vtCF5K0HiwhFU
09ky2yogbMuTTi2f8ibN8SbbhZDJlDPd2ZkkpsKNfIALmOiPhHGvXGmtg6FdzRUO
SGirSm8tcakpS+d0/IElbD453sksxg6s3cTs7Q+PudaccyQ0BqatMnzmfxCVOotT
65kVnmz2P+4Q0gRSQ/Zi9Inz+OrzWxtn6/Tdw+FMUwvBccxW1r88k6uVLz23jW/8
jOuwnUp4JKmZta/U2UZKTyPyrvTYhp/zK332BEnxiRY4ZfQjA4Iwlw00l4pYBDLL
c6TFJtLbDv859UCisXa8MtWYWrlM3YfGFs9k1WemML8u79g2DK8g3VPkD94Q5anq
ufEGm74K/keOmss8cQoBX9VPFMpS1mFCT+2UdGP0UvMlADct0aFnAwtb9QARAQAB
tEFVYnVudHUgQ0QgSW1hZ2UgQXV0b21hdGljIFNpZ25pbmcgS2V5ICgyMDEyKSA8
Y2RpbWFnZUB1YnVudHUuY29tPokCNwQTAQoAIQUCT62OaAIbAwULCQgHAwUVCgkI
CwUWAgMBAAIeAQIXgAAKCRDZSqPw7+IQkkhAEACJjZZXuAabMrC49Z52HywVZipJ
goV5ufMi2LQYMkyGKVQQ/E74lUjccMmbQ4j00ihTYB+F/i29AxfavJnlSpWgmwjP
O4YY5jvooUiXQmVHX10oM1w3+Y9wScmeUY3IhTtwiFaBJr6TZ7RvOTg/pbQ0Gvzx
NlkSobuqFCZ023mcl2Y7OkY1PZgxiLafD6Rx2O/gclQPs4YfHo8bKRA4o10702nE
8YE+dixIgAQw67Txhq5idNxsWpudKq9J1fLgnEz7i9AJUOf12sg9X7ZvpXZ3QvMV
5iOvLA4DRLv9HIxyz70XqeakS+uzfKXuCMzhdUTIb/tNACNB37+reIqdPsyUF3tx
VyWaL1jMkRsv617yKAiYvPNwMDRvrbKiJ4Icnd4tPzmqz5HBFUyULns3JzJNjpgK
CvLGhVq+lVsdpMlpQxEG5/bhzJgB1jrIbkcOSfnQ1y0Gv9CItel+1q0BHMn0dPVW
aNfKYFGsz4igW+uj//C09/gtGMm78PQfjqEoR2j/Tam/tmucxSK331yfm5ag2CQY
GC3bswfII+4EanX9dN/RG3/2dsSyYruWpTIQG6Xa7+AZtYBDEXNYovgdJtXWyUtW
0X7R6vIjh1HYer3dR6ivJ+q/bWGY45zHeNBNU33hlnlxEENif3RZ/j/w3SjGrtSQ
K69maNR6onq492e+6w==
=snmR
-----END PGP PUBLIC KEY BLOCK-----
`,
};

export const ubuntuCloudImageKey: PinnedKey = {
  name: 'UEC Image Automatic Signing Key <cdimage@ubuntu.com>',
  fingerprint: 'D2EB44626FDDC30B513D5BB71A5D6C4C7DB87C81',
  armored: `-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBEqwKTUBEAC8V01JGfeYVVlwlcr0dmwF8n+We/lbxwArjR/gZlH7/MJEZnAL
QHUrDTpD3SkfbsjQgeNt8eS3Jyzoc2r3t2nos4rXPH4kIzAvtqslz6Ns4ZYjoHVk
VC2oV8vYbxER+3/lDjTWVII7omtDVvqH33QlqYZ8+bQbs21lZb2ROJIQCiH0Yzaq
YR0I2SEykBL873V0ygdyW/mCMwniXTLUyGAUV4/28NOzw/6LGvJElJe4UqwQxl/a
XtPIJjPka8LA8+nDi5/u6WEgDWgBhLEHvQG1BNdttm3WCjbu4zS3mNfNBidTamZf
OaMJUZVYxhOB5kNQqyR4eYqFK/U+305eLrZ05ocadsmcQWkHQVbgt+g4yyFNl56N
5AirkFjVtfArkUJfINGgJ7gkSeyqTJK24f33vsIpPwRQ5eFn7H4PwGc0Piym73YL
JnlR94LNEG0ceOJ7u1r+WuaesIj+lKIZsG/rRLf7besaMCCtPcimVgEAmBoIdpTp
dP3aa54w/dvfSwW47mGY14G5PBk/0MDy2Y5HOeXat3RXpGZZFh7zbwSQ93RhYH3b
NPNd5lMu3ZRkYX19FWxoLCi5lx4K3flYhiolZ5i4KxJCoGRobsKjm74Xv2QlvCXY
yAk5BnAQCsu5hKZ1sOhQADCcKz1Zbg8JRc3vmelaJ/VFvHTzs4hJTUvOowARAQAB
tDRVRUMgSW1hZ2UgQXV0b21hdGljIFNpZ25pbmcgS2V5IDxjZGltYWdlQHVidW50
dS5jb20+iQI3BBMBAgAhAhsDAh4BAheABQJKsColBQsJCAcDBRUKCQgLBRYCAwEA
AAoJEBpdbEx9uHyBLicP/jXjfLhs255oT8gmvBXS9WDGSdpPiaMxd0CHEyHuT/Xd
WsoUUYXAPAti8Fyk2K99mze+n4SLCRRJhxqYlcpVy2icc41/VkKI9d/pF4t54RM5
TledYpKVV7xTgoUHZpuL2mWzaT61MzRAxUqqaU42/xSLxLt/noryPHo57IghJXbA
cmgLhFT0fZmtDy9cD4IBvurZF6cRuMJXjxZmssntMHsFZl4PEC3oR/WgJA37OrjM
Vej9r+JA909vr5K/UO+P2gWYOH/2CnGDlaTu72wUrLf6QV5jMyKc6+G7fw5bTJd9
lE8Km2H+4z9e+t7IOv9oxojvESu27exD4LU7SjzZloYnmlTCsdHwgSJVnf+lqXoZ
eUNT9Tmku8VzwCoExTwo9exaJUHeO8ABkfsJVmry40ovzQAHh427+6NpxgkWErVo
cnm54LPIQucZYJrg08s/azRzCjlsYChsaWMvGlMZQo52MuLvETHVPtSggP7sLeIO
lS+8tO1ykSJY65j8AHYBV6hb9EOjWmqpx33GXn8AyCPiMs9/pmeOI0V6YMm6HCLA
wZb+rRS6gcyt9dlWyLU0QLlpmwHSOVJMv2rnNCUtz6pb8y/o9AN2Z48RpH9C9cfv
4dAfbtYn7uTd+M3gk4xyURREg2xuDnraYFs6cZ60/bSy63GxTyi/cCc0S57GgtOK
=KgX0
-----END PGP PUBLIC KEY BLOCK-----
`,
};

// Upstream hosts whose SHA256SUMS are signed, and by which key. Any other host (a user's own URL)
// publishes no signature kubenet knows: its downloads are checked by digest only.
const signerByHost: Record<string, PinnedKey> = {
  'cloud-images.ubuntu.com': ubuntuCloudImageKey,
  'releases.ubuntu.com': ubuntuCdImageKey,
  'cdimage.ubuntu.com': ubuntuCdImageKey,
};

export const signerOf = (upstream: URL): PinnedKey | undefined => signerByHost[upstream.hostname];
