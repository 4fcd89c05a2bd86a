/**
 * The authenticated hello: a mutual HMAC-SHA256 challenge-response over a shared secret.
 *
 * 1. The connecting side C sends `{"type":"hello","id":C,"nonce":Nc}` (no session).
 * 2. The accepting side A answers `{"type":"hello","id":A,"nonce":Na,"proof":Pa}` with
 *    `Pa = HMAC(secret, "acceptor" | T)`, `T = "lamport-auth-v1" | C | A | Nc | Na`.
 * 3. C checks `Pa` (A knows the secret), then sends `{"type":"auth","proof":Pc,"session":S}`
 *    with `Pc = HMAC(secret, "connector" | T | S)`: its session goes only to a proven peer, and
 *    is bound to the proof.
 * 4. A checks `Pc`. Both derive the link key `HMAC(secret, "link" | T)`: every later frame is
 *    sealed with it (see `frame_mac.ts`).
 *
 * Fresh nonces on both sides make every transcript new (no replay of a hello); the role
 * labels keep a proof of one role from serving as the other's (no reflection). No I/O: the
 * transport sends and receives the frames.
 *
 * @module
 */
import type { AuthFrame, HelloFrame } from "../core/wire.ts";
import { ProtocolError } from "../core/wire.ts";
import { FrameSealer } from "./frame_mac.ts";
import { fromBase64, hmac, type HmacKey, randomNonce, timingSafeEqual, toBase64 } from "./hmac.ts";

/** The shared secret's key, made once per node with `hmacKey` (`hmac.ts`). */
export type SecretKey = HmacKey;

function transcript(connector: number, acceptor: number, nc: string, na: string): string {
  return `lamport-auth-v1\n${connector}\n${acceptor}\n${nc}\n${na}`;
}

function linkSealer(key: SecretKey, t: string, side: "connector" | "acceptor"): FrameSealer {
  const linkKey = hmac(key, `link\n${t}`);
  return side === "connector"
    ? new FrameSealer(linkKey, { send: "c2a", receive: "a2c" })
    : new FrameSealer(linkKey, { send: "a2c", receive: "c2a" });
}

function proofMatches(key: SecretKey, data: string, proof: string): boolean {
  return timingSafeEqual(hmac(key, data), fromBase64(proof));
}

/**
 * The accepting side's handshake on one connection.
 *
 * @example
 * ```ts
 * import { AcceptorHandshake, ConnectorHandshake } from "./handshake.ts";
 * import { hmacKey } from "./hmac.ts";
 * import assert from "node:assert/strict";
 * const key = hmacKey(new TextEncoder().encode("correct horse battery staple"));
 * const c = new ConnectorHandshake(key, { selfId: 1, session: 77 });
 * const a = new AcceptorHandshake(key);
 * const answer = a.hello(c.hello(), 2);
 * const { auth, codec } = c.answer(answer);
 * const acceptorCodec = a.finish(auth);
 * const line = codec.encode({ type: "msg", from: 1, seq: 1, clock: 3 });
 * assert.deepEqual(acceptorCodec.decode(line.trimEnd()), { type: "msg", from: 1, seq: 1, clock: 3 });
 * assert.equal(auth.session, 77);
 * ```
 */
export class AcceptorHandshake {
  #key: SecretKey;
  #t: string | null = null;
  #peer = -1;

  /** `key`: the shared secret's key. */
  constructor(key: SecretKey) {
    this.#key = key;
  }

  /** Checks the peer's hello has a nonce; returns our answer with our nonce and proof. */
  hello(peer: HelloFrame, selfId: number): HelloFrame {
    if (peer.nonce === undefined) {
      throw new ProtocolError(
        `Cannot authenticate peer ${peer.id}: its hello carries no nonce (this node requires ` +
          `the shared secret: give every node the same --secret-file)`,
      );
    }
    const nonce = randomNonce();
    this.#peer = peer.id;
    this.#t = transcript(peer.id, selfId, peer.nonce, nonce);
    const proof = toBase64(hmac(this.#key, `acceptor\n${this.#t}`));
    return { type: "hello", id: selfId, nonce, proof };
  }

  /** Checks the peer's proof (bound to its session); returns the link's sealed codec. */
  finish(auth: AuthFrame): FrameSealer {
    if (this.#t === null) throw new ProtocolError("Cannot accept auth frame before hello");
    const key = this.#key;
    if (!proofMatches(key, `connector\n${this.#t}\n${auth.session}`, auth.proof)) {
      throw new ProtocolError(
        `Cannot authenticate peer ${this.#peer}: its proof does not match (it has another ` +
          `secret, or is not a peer)`,
      );
    }
    return linkSealer(key, this.#t, "acceptor");
  }
}

/**
 * The connecting side's handshake on one connection (see {@linkcode AcceptorHandshake} for
 * an example of both).
 */
export class ConnectorHandshake {
  #key: SecretKey;
  #selfId: number;
  #session: number;
  #nonce = randomNonce();

  /** `key`: the shared secret's key; `session`: ours, sent once the peer proved the secret. */
  constructor(key: SecretKey, options: { selfId: number; session: number }) {
    this.#key = key;
    this.#selfId = options.selfId;
    this.#session = options.session;
  }

  /** Our hello: id and nonce, no session. */
  hello(): HelloFrame {
    return { type: "hello", id: this.#selfId, nonce: this.#nonce };
  }

  /**
   * Checks the peer's answer (its proof of the secret); returns our auth frame (proof and
   * session) and the link's sealed codec.
   */
  answer(peer: HelloFrame): { auth: AuthFrame; codec: FrameSealer } {
    if (peer.nonce === undefined || peer.proof === undefined) {
      throw new ProtocolError(
        `Cannot authenticate peer ${peer.id}: its answer carries no proof (it runs without ` +
          `the shared secret)`,
      );
    }
    const key = this.#key;
    const t = transcript(this.#selfId, peer.id, this.#nonce, peer.nonce);
    if (!proofMatches(key, `acceptor\n${t}`, peer.proof)) {
      throw new ProtocolError(
        `Cannot authenticate peer ${peer.id}: its proof does not match (it has another ` +
          `secret, or is not a peer)`,
      );
    }
    const proof = toBase64(hmac(key, `connector\n${t}\n${this.#session}`));
    const codec = linkSealer(key, t, "connector");
    return { auth: { type: "auth", proof, session: this.#session }, codec };
  }
}
