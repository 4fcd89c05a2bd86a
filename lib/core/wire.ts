/**
 * Wire format: newline-delimited JSON frames over one persistent TCP connection per link.
 *
 * - `{"type":"hello","id":1,"session":123}` first from the connecting side, which names
 *   itself; `session` is random per process, so a restarted sender's `seq` 1, 2, … is not
 *   taken for a re-send. The accepting side answers `{"type":"hello","id":2}`: a node never
 *   discloses its session to whoever connects to it.
 * - With a shared secret the hellos carry a `nonce` (and the answer a `proof`); the connecting
 *   side then sends `{"type":"auth","proof":…,"session":123}` (see `lib/auth/`), and every
 *   later frame carries a `mac`.
 * - `{"type":"msg","from":1,"seq":7,"clock":42}` one per message; `seq` counts per sender.
 * - `{"type":"ack","seq":7}` from the receiver: every message up to `seq` arrived.
 * - A bare integer line (`"42\n"`, the original Python format) is a message of unknown sender.
 * - A blank line is a keepalive.
 *
 * No I/O here: {@linkcode FrameDecoder} turns a byte stream into frames.
 *
 * @module
 */
import { isClockValue } from "./clock.ts";
import { LineDecoder } from "./line_decoder.ts";
import { ProtocolError } from "./protocol_error.ts";

export { ProtocolError };

/** Longest accepted frame in bytes (without the newline). */
export const MAX_FRAME_BYTES = 4096;

/** Names the sender of a connection. */
export interface HelloFrame {
  /** Frame type. */
  type: "hello";
  /** Sender's machine id. */
  id: number;
  /** Random per process (optional; 0 when absent): duplicate detection is per (id, session). */
  session?: number;
  /** Authentication: the sender's fresh random challenge (base64 of 32 bytes). */
  nonce?: string;
  /** Authentication, in the accepting side's answer: its proof (base64 HMAC-SHA256). */
  proof?: string;
}
/** Authentication, from the connecting side after the hellos: its proof and its session. */
export interface AuthFrame {
  /** Frame type. */
  type: "auth";
  /** The connecting side's proof (base64 HMAC-SHA256 over both nonces and `session`). */
  proof: string;
  /** The connecting side's session, disclosed only now that the peer proved the secret. */
  session: number;
}
/** One Lamport message. */
export interface MsgFrame {
  /** Frame type. */
  type: "msg";
  /** Sender's machine id (must match its hello). */
  from: number;
  /** Per-sender sequence number, from 1. */
  seq: number;
  /** Sender's Lamport clock after its SEND. */
  clock: number;
}
/** Cumulative acknowledgement of messages up to `seq`. */
export interface AckFrame {
  /** Frame type. */
  type: "ack";
  /** Highest `seq` received on this link. */
  seq: number;
}
/** A bare-integer line from an original-format sender. */
export interface LegacyFrame {
  /** Frame type (not sent on the wire: the line is the bare integer). */
  type: "legacy";
  /** The clock value. */
  clock: number;
}
/** Any frame. */
export type Frame = HelloFrame | AuthFrame | MsgFrame | AckFrame | LegacyFrame;

/**
 * Encodes a frame as one line (JSON plus `\n`); a legacy frame as the bare integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame } from "./wire.ts";
 * assert.equal(encodeFrame({ type: "msg", from: 1, seq: 2, clock: 3 }), '{"type":"msg","from":1,"seq":2,"clock":3}\n');
 * assert.equal(encodeFrame({ type: "legacy", clock: 7 }), "7\n");
 * ```
 */
export function encodeFrame(frame: Frame): string {
  if (frame.type === "legacy") return `${frame.clock}\n`;
  return JSON.stringify(frame) + "\n";
}

/** A machine id or session: a safe integer >= 0. */
function isId(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** A message sequence number: a safe integer >= 1. */
function isSeq(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
}

/** A received value in an error: strings quoted and cut at 60 characters. */
function show(v: unknown): string {
  return typeof v === "string"
    ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + "…" : v)
    : String(v);
}

/** Base64 of 32 bytes (nonces, proofs, MACs). */
function isB64(v: unknown): v is string {
  return typeof v === "string" && /^[A-Za-z0-9+/]{43}=$/.test(v);
}

/**
 * Parses one line (without its newline) into a frame; throws {@linkcode ProtocolError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFrame } from "./wire.ts";
 * assert.deepEqual(parseFrame('{"type":"ack","seq":4}'), { type: "ack", seq: 4 });
 * assert.deepEqual(parseFrame("17"), { type: "legacy", clock: 17 });
 * ```
 */
export function parseFrame(line: string): Frame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ProtocolError(`Cannot parse frame as JSON: current value is ${clip(line)}`);
  }
  if (typeof value === "number") {
    if (!isClockValue(value)) {
      throw new ProtocolError(
        `Cannot accept clock value: current value is ${clip(line)} (want a safe integer ≥ 0)`,
      );
    }
    return { type: "legacy", clock: value };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Cannot accept frame: current value is ${clip(line)} (want an object)`);
  }
  const f = value as Record<string, unknown>;
  switch (f.type) {
    case "hello": {
      if (!isId(f.id)) throw field("hello", "id", f.id);
      if (f.session !== undefined && !isId(f.session)) throw field("hello", "session", f.session);
      if (f.nonce !== undefined && !isB64(f.nonce)) throw field("hello", "nonce", f.nonce);
      if (f.proof !== undefined && !isB64(f.proof)) throw field("hello", "proof", f.proof);
      const hello: HelloFrame = { type: "hello", id: f.id };
      if (f.session !== undefined) hello.session = f.session;
      if (f.nonce !== undefined) hello.nonce = f.nonce;
      if (f.proof !== undefined) hello.proof = f.proof;
      return hello;
    }
    case "auth":
      if (!isB64(f.proof)) throw field("auth", "proof", f.proof);
      if (!isId(f.session)) throw field("auth", "session", f.session);
      return { type: "auth", proof: f.proof, session: f.session };
    case "msg":
      if (!isId(f.from)) throw field("msg", "from", f.from);
      if (!isSeq(f.seq)) throw field("msg", "seq", f.seq);
      if (!isClockValue(f.clock)) throw field("msg", "clock", f.clock);
      return { type: "msg", from: f.from, seq: f.seq, clock: f.clock };
    case "ack":
      if (!isSeq(f.seq)) throw field("ack", "seq", f.seq);
      return { type: "ack", seq: f.seq };
    default:
      throw new ProtocolError(`Cannot accept frame type: current value is ${show(f.type)}`);
  }
}

function field(type: string, name: string, value: unknown): ProtocolError {
  return new ProtocolError(`Cannot accept ${type}.${name}: current value is ${show(value)}`);
}

function clip(line: string): string {
  return JSON.stringify(line.length > 60 ? line.slice(0, 60) + "…" : line);
}

/**
 * Splits a byte stream into frames: frames split across chunks, several per chunk, CRLF line
 * ends, blank lines skipped. A line longer than `maxFrameBytes`, invalid UTF-8 or an invalid
 * frame sets {@linkcode FrameDecoder.error} (a {@linkcode ProtocolError}); the caller then
 * drops the connection.
 *
 * @example
 * ```ts
 * import { FrameDecoder } from "./wire.ts";
 * import assert from "node:assert/strict";
 * const d = new FrameDecoder();
 * assert.deepEqual(d.push(new TextEncoder().encode('{"type":"ack",')), []);
 * assert.deepEqual(d.push(new TextEncoder().encode('"seq":1}\r\n5\n')), [
 *   { type: "ack", seq: 1 },
 *   { type: "legacy", clock: 5 },
 * ]);
 * ```
 */
export class FrameDecoder {
  #lines: LineDecoder;
  #error: ProtocolError | null = null;

  /** `maxFrameBytes` defaults to {@linkcode MAX_FRAME_BYTES}. */
  constructor(options: { maxFrameBytes?: number } = {}) {
    this.#lines = new LineDecoder({ maxLineBytes: options.maxFrameBytes ?? MAX_FRAME_BYTES });
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.#lines.pendingBytes;
  }

  /** The first protocol error met, if any; the stream is unusable after it. */
  get error(): ProtocolError | null {
    return this.#error ?? this.#lines.error;
  }

  /**
   * Feeds a chunk; returns the complete frames it finished, in order. When a bad frame is
   * found, the good frames before it are still returned and {@linkcode FrameDecoder.error}
   * is set; the caller then handles those frames and drops the connection.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.error) throw this.error;
    const frames: Frame[] = [];
    for (const line of this.#lines.push(chunk)) {
      if (line.trim() === "") continue;
      try {
        frames.push(parseFrame(line));
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.#error = err;
        break;
      }
    }
    return frames;
  }
}
