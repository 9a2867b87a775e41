// What a caller hands the ISO writer: a flat list of files for the root directory.
// cloud-init's NoCloud seed needs nothing more (user-data, meta-data, network-config, vendor-data).

export interface IsoFile {
  name: string; // the name a Linux guest sees (Rock Ridge and Joliet), e.g. 'user-data'
  data: Buffer | string; // strings are written as UTF-8
}

export interface IsoOptions {
  volumeId: string; // the label blkid and cloud-init look for, e.g. 'cidata'
  date?: Date; // every timestamp in the image; defaults to a fixed date so output is reproducible
}

// ISO 9660 counts in 2048-byte logical sectors.
export const SECTOR = 2048;

// The default timestamp: fixed, so the same files always give the same bytes.
export const DEFAULT_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
