// The part of pako 1.x (a dependency of JSZip, itself ExcelJS's) that src/xlsx/zip.ts uses; pako 1 ships no types.
declare module 'pako' {
  export interface DeflateOptions { level?: number; raw?: boolean; windowBits?: number; memLevel?: number }
  export class Deflate {
    constructor(options?: DeflateOptions);
    push(data: Uint8Array, mode?: number | boolean): boolean;
    result: Uint8Array;
    err: number;
    msg: string;
  }
  export const Z_SYNC_FLUSH: number;
  const pako: { Deflate: typeof Deflate; Z_SYNC_FLUSH: number };
  export default pako;
}
