// OpAMP WebSocket framing: every binary message is a varint header (value 0 in this protocol version) + protobuf.
// Pure; see opamp-spec specification.md §WebSocket Message Format.

import { OpampDecodeError } from "./messages.js";

const MAX_VARINT_BYTES = 10;

/** Strips the header of one WebSocket message and returns the protobuf bytes (possibly empty). */
export function unframeWsMessage(message: Uint8Array): Uint8Array {
  let header = 0n;
  for (let i = 0; i < Math.min(message.length, MAX_VARINT_BYTES); i++) {
    const byte = message[i] ?? 0;
    header |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      if (header !== 0n) {
        throw new OpampDecodeError("bad_frame", `unsupported OpAMP WebSocket header ${header}; expected 0`);
      }
      return message.subarray(i + 1);
    }
  }
  throw new OpampDecodeError("bad_frame", "the WebSocket message has no complete OpAMP header");
}

/** Prefixes a ServerToAgent protobuf with the header byte 0x00. */
export function frameWsMessage(data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0]), data]);
}
