// A minimal Protocol Buffers writer: just what the vector tiles (MVT 2.1) and the glyph ranges
// (the Mapbox/MapLibre glyphs.proto) need. Node built-ins only, like the rest of the mock.

export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  /** Field with wire type 0 (varint), unsigned. */
  uint(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  /** Field with wire type 0, zig-zag encoded (sint32/sint64). */
  sint(field: number, value: number): this {
    return this.tag(field, 0).varint(zigzag(value));
  }

  /** Field with wire type 1 (64-bit double). */
  double(field: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.tag(field, 1);
    this.parts.push(b);
    return this;
  }

  /** Field with wire type 2: a string, bytes or an embedded message. */
  bytes(field: number, value: Buffer | string | ProtoWriter): this {
    const body =
      value instanceof ProtoWriter ? value.finish() : Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    this.tag(field, 2).varint(body.length);
    this.parts.push(body);
    return this;
  }

  /** Packed repeated uint32 (wire type 2). */
  packed(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner);
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  private varint(value: number): this {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`varint must be a non-negative integer, got ${value}`);
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
    return this;
  }
}

export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
