import zlib from 'node:zlib';

/**
 * Opens a zip (an .xlsx) the way JSZip will, but under caps, before any parser
 * sees it: the entry count and the declared inflated sizes are read from the
 * central directory and refused when too large, and every entry is then inflated
 * with a hard output cap equal to its declared size, so a directory that lies
 * about sizes is caught after at most that many bytes. ZIP64, encryption,
 * methods other than store/deflate and bytes before the first entry are refused:
 * an .xlsx never needs them, and they are where readers disagree.
 */

export interface ZipLimits { maxEntries: number; maxTotalBytes: number }
export type ZipProblem = 'not_zip' | 'too_many_entries' | 'too_large';

export class ZipRejected extends Error {
  constructor(readonly problem: ZipProblem) { super(problem); }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

interface CentralEntry { name: string; method: number; flags: number; compressedSize: number; size: number; localOffset: number }

function centralDirectory(buf: Buffer, limits: ZipLimits): CentralEntry[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])); // JSZip also takes the last one
  if (eocd < 0 || eocd + 22 > buf.length || buf.readUInt32LE(eocd) !== EOCD) throw new ZipRejected('not_zip');
  const disk = buf.readUInt16LE(eocd + 4), cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8), records = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12), cdOffset = buf.readUInt32LE(eocd + 16);
  if ([disk, cdDisk, onDisk, records].includes(MAX16) || cdSize === MAX32 || cdOffset === MAX32) throw new ZipRejected('not_zip');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== records) throw new ZipRejected('not_zip');
  if (records > limits.maxEntries) throw new ZipRejected('too_many_entries');
  if (cdOffset + cdSize !== eocd) throw new ZipRejected('not_zip');

  const entries: CentralEntry[] = [];
  let pos = cdOffset;
  // Every record JSZip would read (it reads while the signature matches, whatever the count says).
  while (pos + 4 <= eocd && buf.readUInt32LE(pos) === CENTRAL) {
    if (pos + 46 > eocd) throw new ZipRejected('not_zip');
    const nameLen = buf.readUInt16LE(pos + 28), extraLen = buf.readUInt16LE(pos + 30), commentLen = buf.readUInt16LE(pos + 32);
    const entry = {
      flags: buf.readUInt16LE(pos + 8), method: buf.readUInt16LE(pos + 10),
      compressedSize: buf.readUInt32LE(pos + 20), size: buf.readUInt32LE(pos + 24), localOffset: buf.readUInt32LE(pos + 42),
      name: buf.toString('utf8', pos + 46, Math.min(pos + 46 + nameLen, eocd)),
    };
    if (entry.compressedSize === MAX32 || entry.size === MAX32 || entry.localOffset === MAX32) throw new ZipRejected('not_zip');
    if (entry.flags & 0x1) throw new ZipRejected('not_zip'); // encrypted
    entries.push(entry);
    if (entries.length > limits.maxEntries) throw new ZipRejected('too_many_entries');
    pos += 46 + nameLen + extraLen + commentLen;
  }
  if (pos !== eocd || entries.length !== records) throw new ZipRejected('not_zip');
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > limits.maxTotalBytes) throw new ZipRejected('too_large');
  return entries;
}

/**
 * Checks a zip against the limits and yields each entry's inflated bytes, one at
 * a time (so that at most one entry is held here). Throws ZipRejected; nothing is
 * inflated past the declared sizes, whose sum is capped.
 */
export function* inflateZipWithin(buf: Buffer, limits: ZipLimits): Generator<{ name: string; data: Buffer }> {
  for (const e of centralDirectory(buf, limits)) {
    const at = e.localOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw new ZipRejected('not_zip');
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const end = start + e.compressedSize;
    if (end > buf.length) throw new ZipRejected('not_zip');
    const raw = buf.subarray(start, end);
    let data: Buffer;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw new ZipRejected('not_zip');
      data = raw;
    } else if (e.method === 8) {
      try {
        // Stops with ERR_BUFFER_TOO_LARGE as soon as the output passes the declared size.
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(e.size, 1) });
      } catch {
        throw new ZipRejected('not_zip');
      }
      if (data.length !== e.size) throw new ZipRejected('not_zip');
    } else {
      throw new ZipRejected('not_zip');
    }
    yield { name: e.name, data };
  }
}
