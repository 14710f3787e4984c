// Protobuf wire primitives (varints, fixed widths, length-delimited, skipping) over one byte buffer.
// Ported from protobufjs's Reader so that what it rejects, this rejects too; it builds no message objects.

/** protobufjs's `util.recursionLimit`: deeper nesting (messages or groups) is refused. */
export const RECURSION_LIMIT = 100;
const TWO_32 = 4294967296;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function outOfRange(reader: WireReader, length = 1): RangeError {
  return new RangeError(`index out of range: ${reader.pos} + ${length} > ${reader.len}`);
}

export class WireReader {
  pos = 0;
  /** End of the message being read; nested messages narrow it (see `enter`). */
  len: number;
  readonly buf: Buffer;
  /** Scratch for `head`: the low 28 bits of a varint that runs into its fifth byte. */
  private low28 = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.len = this.buf.length;
  }

  /** Starts a nested message of `length` bytes at `depth`; returns the outer end for `leave`. */
  enter(length: number, depth: number): number {
    if (depth > RECURSION_LIMIT) throw new Error("max depth exceeded");
    const end = this.pos + length;
    if (end > this.len) throw new RangeError("index out of range");
    const outer = this.len;
    this.len = end;
    return outer;
  }

  leave(outer: number): void {
    if (this.pos !== this.len) throw new RangeError("index out of range");
    this.len = outer;
  }

  /** A varint read where fewer than five bytes remain (protobufjs's readVarint32NearEnd). */
  private varint32NearEnd(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.len) throw outOfRange(this);
      const b = this.buf[this.pos++] as number;
      value = (value | ((b & 127) << (i * 7))) >>> 0;
      if (b < 128) return value;
    }
    throw outOfRange(this);
  }

  /**
   * The first four bytes of a varint32, shared by `tag`, `uint32` and `size`: the value when it ended within them,
   * else -1 with the low 28 bits in `low28` and `pos` on the fifth byte (each caller reads that byte its own way).
   */
  private head(): number {
    if (this.len - this.pos < 5) {
      if (this.pos >= this.len) throw outOfRange(this);
      if ((this.buf[this.pos] as number) >= 128) return this.varint32NearEnd();
    }
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = buf[pos++] as number;
      value = (value | ((b & 127) << shift)) >>> 0;
      if (b < 128) {
        this.pos = pos;
        return value;
      }
    }
    this.pos = pos;
    this.low28 = value;
    return -1;
  }

  /** A field tag: a varint32 whose fifth byte may carry no more than the top four bits. */
  tag(): number {
    const head = this.head();
    if (head >= 0) return head;
    const b = this.buf[this.pos++] as number;
    if (b < 128 && (b & 112) === 0) return (this.low28 | ((b & 15) << 28)) >>> 0;
    throw new Error("invalid tag encoding");
  }

  uint32(): number {
    const head = this.head();
    if (head >= 0) return head;
    const buf = this.buf;
    let pos = this.pos;
    const fifth = buf[pos++] as number;
    const value = (this.low28 | ((fifth & 15) << 28)) >>> 0;
    if (fifth < 128) {
      this.pos = pos;
      return value;
    }
    // Bytes six to ten of a 64-bit varint are read and dropped.
    for (let i = 0; i < 5; i++) {
      if (pos >= this.len) {
        this.pos = pos;
        throw outOfRange(this);
      }
      if ((buf[pos++] as number) < 128) {
        this.pos = pos;
        return value;
      }
    }
    this.pos = pos;
    throw new Error("invalid varint encoding");
  }

  int32(): number {
    return this.uint32() | 0;
  }

  /** A length prefix (at most 2^31 - 1). */
  size(): number {
    const head = this.head();
    if (head >= 0) return head;
    const fifth = this.buf[this.pos++] as number;
    if (fifth > 7) throw new Error("invalid length encoding");
    return (this.low28 | (fifth << 28)) >>> 0;
  }

  bool(): boolean {
    let value = false;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.len) throw outOfRange(this);
      const b = this.buf[this.pos++] as number;
      if (b & 127) value = true;
      if (b < 128) return value;
    }
    throw new Error("invalid varint encoding");
  }

  /** Reads (and drops) a 64-bit varint with protobufjs's bounds rules (AnyValue.int_value). */
  skipInt64(): void {
    const buf = this.buf;
    if (this.len - this.pos > 4) {
      for (let i = 0; i < 5; i++) if ((buf[this.pos++] as number) < 128) return;
    } else {
      for (let i = 0; i < 4; i++) {
        if (this.pos >= this.len) throw outOfRange(this);
        if ((buf[this.pos++] as number) < 128) return;
      }
      throw outOfRange(this);
    }
    const fast = this.len - this.pos > 4;
    for (let i = 0; i < 5; i++) {
      if (!fast && this.pos >= this.len) throw outOfRange(this);
      if ((buf[this.pos++] as number) < 128) return;
    }
    throw new Error("invalid varint encoding");
  }

  /** A signed 64-bit varint as a number (AnyValue.int_value; rounds above 2^53 as protobufjs's Long.toNumber does). */
  int64(): number {
    const start = this.pos;
    this.skipInt64();
    let value = 0n;
    for (let i = this.pos - 1; i >= start; i--) value = (value << 7n) | BigInt((this.buf[i] as number) & 127);
    return Number(BigInt.asIntN(64, value));
  }

  /** fixed64 as an unsigned number (may round above 2^53, like protobufjs's Long.toNumber). */
  fixed64(): number {
    if (this.pos + 8 > this.len) throw outOfRange(this, 8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  sfixed64(): number {
    if (this.pos + 8 > this.len) throw outOfRange(this, 8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  double(): number {
    if (this.pos + 8 > this.len) throw outOfRange(this, 4);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Skips a length-delimited field's payload; returns where it started. */
  skipBytes(): number {
    const length = this.size();
    const start = this.pos;
    if (start + length > this.len) throw outOfRange(this, length);
    this.pos = start + length;
    return start;
  }

  /** A proto3 `string`: invalid UTF-8 is an error, as in protobufjs's `stringVerify`. */
  string(): string {
    const start = this.skipBytes();
    return utf8Strict(this.buf, start, this.pos);
  }

  /** Checks a `string` field we do not keep. */
  skipString(): void {
    const start = this.skipBytes();
    const buf = this.buf;
    for (let i = start; i < this.pos; i++) {
      if ((buf[i] as number) >= 128) {
        strictUtf8.decode(buf.subarray(start, this.pos));
        return;
      }
    }
  }

  /** Skips one field of an unknown number (or a known number with an unexpected wire type). */
  skipType(wireType: number, depth: number, fieldNumber: number): void {
    if (depth > RECURSION_LIMIT) throw new Error("max depth exceeded");
    if (fieldNumber === 0) throw new Error("illegal tag: field number 0");
    switch (wireType) {
      case 0:
        do {
          if (this.pos >= this.len) throw outOfRange(this);
        } while ((this.buf[this.pos++] as number) & 128);
        return;
      case 1:
        this.skipFixed(8);
        return;
      case 2:
        this.skipFixed(this.size());
        return;
      case 3:
        for (;;) {
          const tag = this.tag();
          const nested = tag >>> 3;
          if (nested === 0) throw new Error("illegal tag: field number 0");
          if ((tag & 7) === 4) {
            if (nested !== fieldNumber) throw new Error("invalid end group tag");
            return;
          }
          this.skipType(tag & 7, depth + 1, nested);
        }
      case 5:
        this.skipFixed(4);
        return;
      default:
        throw new Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private skipFixed(length: number): void {
    if (this.pos + length > this.len) throw outOfRange(this, length);
    this.pos += length;
  }
}

/** ASCII (the usual case) is sliced directly; anything else goes through the fatal decoder. */
export function utf8Strict(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) >= 128) return strictUtf8.decode(buf.subarray(start, end));
  }
  return buf.toString("latin1", start, end);
}
