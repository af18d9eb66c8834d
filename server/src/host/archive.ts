// Packaged Helm charts (`charts/<name>-<version>.tgz`) read in memory for the core's values merging:
// gunzip with an output cap, then a small tar reader that keeps only the text files merging needs.
// Nothing is ever written to disk, and a workspace's archive is data: a corrupt, truncated or
// oversized one yields a problem the core reports, never an exception.

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { FileAccess } from '../core/types';

export interface ArchiveLimits {
  /** Largest .tgz read, in bytes. */
  maxCompressed: number;
  /** Most bytes the gzip stream may expand to (a "zip bomb" stops here). */
  maxUncompressed: number;
  /** Most tar entries walked. */
  maxEntries: number;
  /** Largest single file kept. */
  maxEntrySize: number;
}

// A large published chart (kube-prometheus-stack with its subcharts) is ~0.5 MB packed, ~5 MB unpacked.
export const ARCHIVE_LIMITS: ArchiveLimits = { maxCompressed: 10 * 1024 * 1024, maxUncompressed: 64 * 1024 * 1024, maxEntries: 20_000, maxEntrySize: 5 * 1024 * 1024 };

export type ArchiveRead = { entries: { path: string; text: string }[] } | { problem: string };

/** `<chart>/values.yaml`, `<chart>/charts/<sub>/Chart.yaml`, …: the files values merging reads, at any subchart depth. */
const WANTED = /^[^/]+(?:\/charts\/[^/]+)*\/(?:values\.yaml|Chart\.yaml|values\.schema\.json)$/;

const BLOCK = 512;

export function readChartArchive(bytes: Uint8Array, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveRead {
  if (bytes.length > limits.maxCompressed) return { problem: `the archive is larger than ${limits.maxCompressed} bytes` };
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(bytes, { maxOutputLength: limits.maxUncompressed });
  } catch (e) {
    const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
    return { problem: tooLarge ? `the archive expands to more than ${limits.maxUncompressed} bytes` : `the archive is not a readable gzip file (${(e as Error).message})` };
  }
  return readTar(tar, limits);
}

function readTar(tar: Buffer, limits: ArchiveLimits): ArchiveRead {
  const entries: { path: string; text: string }[] = [];
  let offset = 0;
  let count = 0;
  // Long names come in a record before the entry they name (PAX `path=` or GNU `././@LongLink`).
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return { entries };
    if (++count > limits.maxEntries) return { problem: `the archive has more than ${limits.maxEntries} entries` };
    if (!checksumOk(header)) return { problem: `the archive is corrupt (bad tar header at byte ${offset})` };
    const size = octal(header.subarray(124, 136));
    if (size === undefined || size < 0) return { problem: `the archive is corrupt (bad entry size at byte ${offset})` };
    const bodyStart = offset + BLOCK;
    const bodyEnd = bodyStart + size;
    if (bodyEnd > tar.length) return { problem: 'the archive is truncated' };
    const type = String.fromCharCode(header[156] || 48);
    const body = () => tar.subarray(bodyStart, bodyEnd);
    if (type === 'x') longName = paxPath(body().toString('utf8')) ?? longName;
    else if (type === 'L') longName = body().toString('utf8').replace(/\0+$/, '');
    else {
      const name = longName ?? headerName(header);
      longName = undefined;
      const path = name.replace(/^\.\//, '');
      const regular = type === '0' || type === '7';
      if (regular && WANTED.test(path) && !path.split('/').includes('..') && size <= limits.maxEntrySize) {
        entries.push({ path, text: body().toString('utf8') });
      }
    }
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  // Archives end with zero blocks; bytes that stop inside an entry or its padding were cut short.
  return offset === tar.length && offset > 0 ? { entries } : { problem: 'the archive is truncated' };
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

function headerName(header: Buffer): string {
  const name = field(header, 0, 100);
  const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** A numeric header field: octal text, or GNU's base-256 form for large values. */
function octal(raw: Buffer): number | undefined {
  if (raw[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < raw.length; i++) n = n * 256 + raw[i];
    return n;
  }
  const text = raw.toString('latin1').replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function checksumOk(header: Buffer): boolean {
  const stored = octal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
  return stored === sum;
}

/** The `path` record of a PAX extended header ("<length> path=<value>\n" records). */
function paxPath(records: string): string | undefined {
  for (const m of records.matchAll(/(\d+) ([^=]+)=([^\n]*)\n/g)) if (m[2] === 'path') return m[3];
  return undefined;
}

/** Reads a .tgz from disk (size-checked before reading) for FileAccess.readArchive. */
export function readChartArchiveFile(path: string, limits: ArchiveLimits = ARCHIVE_LIMITS): ArchiveRead {
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile()) return { problem: `${path} is not a file` };
    if (stat.size > limits.maxCompressed) return { problem: `the archive is larger than ${limits.maxCompressed} bytes` };
    return readChartArchive(fs.readFileSync(path), limits);
  } catch (e) {
    return { problem: `${path} cannot be read (${(e as Error).message})` };
  }
}

/** A FileAccess that can also read packaged charts from disk. */
export function withArchives(files: FileAccess, limits: ArchiveLimits = ARCHIVE_LIMITS): FileAccess {
  return { readFile: (path) => files.readFile(path), exists: (path) => files.exists(path), readArchive: (path) => readChartArchiveFile(path, limits) };
}
