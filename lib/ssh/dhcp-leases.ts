// macOS vmnet hands out addresses with its own DHCP server and lists them in
// /var/db/dhcpd_leases: blocks of key=value lines between braces. The newest lease for a
// hostname is the VM's address.
export interface Lease {
  name?: string;
  ipAddress?: string;
  hwAddress?: string;
  lease?: number; // expiry, seconds since the epoch
}

export function parseLeases(text: string): Lease[] {
  const leases: Lease[] = [];
  for (const block of text.split('{').slice(1)) {
    const body = block.split('}')[0] ?? '';
    const fields = new Map<string, string>();
    for (const line of body.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
    }
    leases.push({
      name: fields.get('name'),
      ipAddress: fields.get('ip_address'),
      hwAddress: fields.get('hw_address'),
      lease: fields.has('lease') ? Number.parseInt(fields.get('lease')!, 16) : undefined,
    });
  }
  return leases;
}

export function addressOf(hostname: string, leases: Lease[]): string | undefined {
  return leases.filter((l) => l.name === hostname && l.ipAddress).sort((a, b) => (b.lease ?? 0) - (a.lease ?? 0))[0]
    ?.ipAddress;
}
