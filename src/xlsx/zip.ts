/**
 * The .xlsx container: a ZIP archive (PKWARE APPNOTE 6.3: local headers, central directory, end
 * record; no ZIP64 — a workbook stays far below 4 GB and 65 535 parts) whose parts are built from
 * text segments deflated once each and reused wherever the same segment recurs.
 *
 * Why not JSZip: it deflates every part from scratch. 300 blank unit sheets of one layout repeat
 * the same 70 KB of sheet XML 300 times; here each distinct segment is deflated once (pako, a raw
 * stream ended by a sync flush, so it is byte-aligned and refers to nothing before it) and the
 * parts are concatenations of such segments plus the two-byte empty final block. Any inflater reads
 * the result as one stream (RFC 1951 §3.2.3: blocks follow each other; a sync flush ends with an
 * empty stored block). The CRC-32 of a part is combined from its segments' CRCs (crc32Combine).
 * Reading stays with JSZip and ExcelJS; the tests read these archives back with both.
 */
import pako from 'pako';

// ---- CRC-32 (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320) ----

const POLY = 0xedb88320;
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `data` (the checksum ZIP stores). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Product of two polynomials over GF(2) modulo the CRC polynomial, in the reflected bit order the
 * CRC uses (the top bit holds the coefficient of x^0).
 */
function gfMul(a: number, b: number): number {
  let r = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) r ^= b;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return r >>> 0;
}

/** x^(8·2^k) mod P for k = 0…31: appending n zero bytes multiplies the register by x^(8n). */
const X8POW = (() => {
  const p: number[] = [0x00800000]; // x^8
  for (let k = 1; k < 32; k++) p.push(gfMul(p[k - 1], p[k - 1]));
  return p;
})();

/**
 * CRC-32 of A‖B from crc(A), crc(B) and |B|. The CRC is affine in its input, and the initial and
 * final inversions cancel: crc(A‖B) = crc(A)·x^(8|B|) ⊕ crc(B) (mod P).
 */
export function crc32Combine(crcA: number, crcB: number, lenB: number): number {
  let c = crcA >>> 0;
  for (let k = 0; lenB > 0; k++, lenB = Math.floor(lenB / 2)) if (lenB % 2) c = gfMul(c, X8POW[k]);
  return (c ^ crcB) >>> 0;
}

// ---- deflate segments ----

/** One deflated segment: raw deflate ending in a sync flush (byte-aligned, not final). */
export interface Segment {
  data: Uint8Array;
  crc: number;
  /** Uncompressed length in bytes. */
  size: number;
}

/** The empty final block (BFINAL=1, fixed Huffman codes, end-of-block): closes a run of segments. */
const FINAL_BLOCK = new Uint8Array([0x03, 0x00]);

const encoder = new TextEncoder();

export function deflateSegment(text: string, level: number): Segment {
  const bytes = encoder.encode(text);
  // A window and hash table sized to the segment: most are a few KB, and zeroing the full 32 KB
  // window and 64 K hash chains for each would cost more than deflating it.
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(bytes.length + 262))));
  const d = new pako.Deflate({ level, raw: true, windowBits, memLevel: Math.max(1, windowBits - 7) });
  d.push(bytes, pako.Z_SYNC_FLUSH);
  if (d.err) throw new Error(`deflate failed: ${d.msg}`);
  return { data: d.result as Uint8Array, crc: crc32(bytes), size: bytes.length };
}

/** A part of the archive: its path and its content as text segments, in order. */
export interface ZipPart {
  path: string;
  segments: string[];
}

export interface ZipOptions {
  /** Deflate level for segments that occur once. */
  level: number;
  /** Deflate level for segments that occur more than once (deflated once, so a higher level is cheap). */
  repeatedLevel: number;
  /** Modification time stored for every part. */
  date?: Date;
}

/** Statistics of one archive, for the bench. */
export interface ZipStats {
  segments: number;
  distinct: number;
  /** Uncompressed bytes deflated (distinct segments only) and bytes stored. */
  deflatedBytes: number;
  storedBytes: number;
}

function dosDateTime(d: Date): { time: number; date: number } {
  const y = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((y - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Parts → .zip bytes. Segments that recur (in one part or across parts) are deflated once. */
export function zipParts(parts: ZipPart[], options: ZipOptions): { bytes: Uint8Array; stats: ZipStats } {
  const count = new Map<string, number>();
  let segments = 0;
  for (const p of parts) {
    for (const s of p.segments) {
      count.set(s, (count.get(s) ?? 0) + 1);
      segments++;
    }
  }
  const done = new Map<string, Segment>();
  let deflatedBytes = 0;
  const entries = parts.map((p) => {
    const name = encoder.encode(p.path);
    const segs = p.segments.map((s) => {
      let seg = done.get(s);
      if (!seg) {
        seg = deflateSegment(s, (count.get(s) ?? 0) > 1 ? options.repeatedLevel : options.level);
        done.set(s, seg);
        deflatedBytes += seg.size;
      }
      return seg;
    });
    let crc = 0;
    let size = 0;
    let csize = FINAL_BLOCK.length;
    for (const s of segs) {
      crc = size === 0 ? s.crc : crc32Combine(crc, s.crc, s.size);
      size += s.size;
      csize += s.data.length;
    }
    return { name, segs, crc, size, csize };
  });

  const { time, date } = dosDateTime(options.date ?? new Date());
  const total = entries.reduce((a, e) => a + 30 + e.name.length + e.csize + 46 + e.name.length, 0) + 22;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => { view.setUint16(at, v, true); at += 2; };
  const u32 = (v: number) => { view.setUint32(at, v >>> 0, true); at += 4; };
  const bytes = (b: Uint8Array) => { out.set(b, at); at += b.length; };
  const offsets: number[] = [];
  // Version 2.0 (deflate), no flags (ASCII names, sizes known up front), method 8 (deflate).
  for (const e of entries) {
    offsets.push(at);
    u32(0x04034b50); u16(20); u16(0); u16(8); u16(time); u16(date);
    u32(e.crc); u32(e.csize); u32(e.size); u16(e.name.length); u16(0);
    bytes(e.name);
    for (const s of e.segs) bytes(s.data);
    bytes(FINAL_BLOCK);
  }
  const cdStart = at;
  entries.forEach((e, i) => {
    u32(0x02014b50); u16(20); u16(20); u16(0); u16(8); u16(time); u16(date);
    u32(e.crc); u32(e.csize); u32(e.size); u16(e.name.length); u16(0); u16(0); u16(0); u16(0); u32(0); u32(offsets[i]);
    bytes(e.name);
  });
  const cdSize = at - cdStart;
  u32(0x06054b50); u16(0); u16(0); u16(entries.length); u16(entries.length); u32(cdSize); u32(cdStart); u16(0);
  if (at !== total) throw new Error(`zip size mismatch: ${at} ≠ ${total}`);
  return { bytes: out, stats: { segments, distinct: done.size, deflatedBytes, storedBytes: total } };
}
