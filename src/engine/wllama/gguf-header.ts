/**
 * Reads a GGUF file's header (metadata and tensor list) from a Blob without reading the
 * weights: what the page shows before loading. Layout: ggml's docs/gguf.md (v2 and v3,
 * little-endian). The header is read in growing slices, so a 4 GB file costs a few MB.
 */

export class NotGgufError extends Error {
  override readonly name = 'NotGgufError';
}

export type GgufValue = string | number | bigint | boolean | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  /** ggml_type */
  type: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32

/** Thrown inside the parser when the bytes read so far end mid-header. */
class NeedMore extends Error {}

class Cursor {
  private pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder();
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number) {
    if (this.pos + n > this.bytes.byteLength) throw new NeedMore();
  }
  u8() {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new NotGgufError('a size in the header is too large');
    return Number(v);
  }
  value(type: number): GgufValue {
    const v = this.view;
    const at = this.pos;
    const fixed = (n: number, read: () => number | bigint | boolean) => {
      this.need(n);
      const out = read();
      this.pos += n;
      return out;
    };
    switch (type) {
      case 0:
        return fixed(1, () => v.getUint8(at));
      case 1:
        return fixed(1, () => v.getInt8(at));
      case 2:
        return fixed(2, () => v.getUint16(at, true));
      case 3:
        return fixed(2, () => v.getInt16(at, true));
      case 4:
        return fixed(4, () => v.getUint32(at, true));
      case 5:
        return fixed(4, () => v.getInt32(at, true));
      case 6:
        return fixed(4, () => v.getFloat32(at, true));
      case 7:
        return fixed(1, () => v.getUint8(at) !== 0);
      case 8:
        return this.string();
      case 9: {
        const itemType = this.u32();
        const count = this.u64();
        const items: GgufValue[] = [];
        for (let i = 0; i < count; i++) items.push(this.value(itemType));
        return items;
      }
      case 10:
        return fixed(8, () => v.getBigUint64(at, true));
      case 11:
        return fixed(8, () => v.getBigInt64(at, true));
      case 12:
        return fixed(8, () => v.getFloat64(at, true));
    }
    throw new NotGgufError(`unknown metadata value type ${type}`);
  }
  string() {
    const n = this.u64();
    this.need(n);
    const s = this.decoder.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

function parse(bytes: Uint8Array): GgufHeader {
  const c = new Cursor(bytes);
  if (c.u32() !== MAGIC) throw new NotGgufError('the file does not start with "GGUF"');
  const version = c.u32();
  if (version < 2 || version > 3) throw new NotGgufError(`unsupported GGUF version ${version}`);
  const tensorCount = c.u64();
  const kvCount = c.u64();
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.string();
    metadata.set(key, c.value(c.u32()));
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string();
    const nDims = c.u32();
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(c.u64());
    const type = c.u32();
    c.u64(); // offset
    tensors.push({ name, dims, type });
  }
  return { version, metadata, tensors };
}

/** Parses the header of `blob`, reading more of it until the header is complete. */
export async function readGgufHeader(blob: Blob): Promise<GgufHeader> {
  let size = Math.min(blob.size, 1 << 20);
  for (;;) {
    const bytes = new Uint8Array(await blob.slice(0, size).arrayBuffer());
    try {
      return parse(bytes);
    } catch (err) {
      if (!(err instanceof NeedMore)) throw err;
      if (size >= blob.size) throw new NotGgufError('the file ends inside its header');
      size = Math.min(blob.size, size * 4);
    }
  }
}
