/**
 * How a link's frames are written and read, and the hooks through which authentication
 * (`lib/auth/`) takes part in the hello: plain JSON lines without a secret, frames sealed
 * with a MAC with one.
 *
 * @module
 */
import {
  type AuthFrame,
  encodeFrame,
  type Frame,
  type HelloFrame,
  parseFrame,
} from "../core/wire.ts";

/** Encodes and decodes the frames of one established link. */
export interface LinkCodec {
  /** One frame as one line (with its `\n`). */
  encode(frame: Frame): string | Promise<string>;
  /** One line (without its line end) as a frame; throws a `ProtocolError`. */
  decode(line: string): Frame | Promise<Frame>;
}

/**
 * Frames as plain JSON lines (no secret).
 *
 * @example
 * ```ts
 * import { PLAIN_CODEC } from "./link_codec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(PLAIN_CODEC.encode({ type: "ack", seq: 3 }), '{"type":"ack","seq":3}\n');
 * assert.deepEqual(PLAIN_CODEC.decode('{"type":"ack","seq":3}'), { type: "ack", seq: 3 });
 * ```
 */
export const PLAIN_CODEC: LinkCodec = { encode: encodeFrame, decode: parseFrame };

/** The accepting side's part of an authenticated hello, per connection. */
export interface InboundHandshake {
  /** Checks the peer's hello and returns our answer (with our nonce and proof). */
  hello(peer: HelloFrame, selfId: number): HelloFrame | Promise<HelloFrame>;
  /** Checks the peer's proof; returns the link's codec (frames sealed from now on). */
  finish(auth: AuthFrame): LinkCodec | Promise<LinkCodec>;
}

/** Authentication of inbound connections. */
export interface InboundAuth {
  /** A fresh handshake for one connection. */
  start(): InboundHandshake;
}

/** The connecting side's part of an authenticated hello, per connection. */
export interface OutboundHandshake {
  /** Our hello (with our nonce). */
  hello(): HelloFrame;
  /** Checks the peer's answer; returns our auth frame and the link's codec. */
  answer(
    peer: HelloFrame,
  ): { auth: AuthFrame; codec: LinkCodec } | Promise<{ auth: AuthFrame; codec: LinkCodec }>;
}

/** Authentication of outbound connections. */
export interface OutboundAuth {
  /** A fresh handshake for one connection to peer `peerId` (as expected) with `session`. */
  start(options: { selfId: number; session: number }): OutboundHandshake;
}
