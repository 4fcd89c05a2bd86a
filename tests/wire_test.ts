import assert from "node:assert/strict";
import { encodeFrame, FrameDecoder, parseFrame, ProtocolError } from "../lib/core/wire.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("FrameDecoder joins a frame split across reads, byte by byte", () => {
  const d = new FrameDecoder();
  const text = encodeFrame({ type: "msg", from: 3, seq: 9, clock: 1234 });
  const out = [];
  for (const b of bytes(text)) out.push(...d.push(new Uint8Array([b])));
  assert.deepEqual(out, [{ type: "msg", from: 3, seq: 9, clock: 1234 }]);
  assert.equal(d.pendingBytes, 0);
});

Deno.test("FrameDecoder returns several frames from one read, with CRLF and blank lines", () => {
  const d = new FrameDecoder();
  const frames = d.push(
    bytes('{"type":"hello","id":2}\r\n\r\n{"type":"ack","seq":5}\n17\r\n{"type":"msg"'),
  );
  assert.deepEqual(frames, [
    { type: "hello", id: 2 },
    { type: "ack", seq: 5 },
    { type: "legacy", clock: 17 },
  ]);
  assert.equal(d.pendingBytes, 13);
  assert.deepEqual(d.push(bytes(',"from":2,"seq":1,"clock":4}\n')), [
    { type: "msg", from: 2, seq: 1, clock: 4 },
  ]);
});

Deno.test("FrameDecoder rejects a frame over 4 KiB without buffering more", () => {
  const d = new FrameDecoder();
  d.push(bytes("x".repeat(4000)));
  assert.deepEqual(d.push(bytes("x".repeat(200))), []);
  assert.match(String(d.error?.message), /longer than 4096 bytes: current length is 4200/);
  assert.equal(d.pendingBytes, 0);
  assert.throws(() => d.push(bytes("1\n")), ProtocolError);
});

Deno.test("FrameDecoder returns the good frames before a bad one, then reports it", () => {
  const e = new FrameDecoder({ maxFrameBytes: 10 });
  assert.deepEqual(e.push(bytes("1\n12345678901\n2\n")), [{ type: "legacy", clock: 1 }]);
  assert.ok(e.error instanceof ProtocolError);
  const f = new FrameDecoder();
  assert.deepEqual(f.push(bytes('{"type":"hello","id":4}\n{"type":"bogus"}\n')), [
    { type: "hello", id: 4 },
  ]);
  assert.match(String(f.error?.message), /current value is "bogus"/);
});

Deno.test("FrameDecoder rejects invalid UTF-8", () => {
  const d = new FrameDecoder();
  assert.deepEqual(d.push(new Uint8Array([0x31, 0xff, 0xfe, 0x0a])), []);
  assert.match(String(d.error?.message), /Cannot decode frame as UTF-8/);
});

Deno.test("parseFrame accepts a bare integer (original format) as a legacy message", () => {
  assert.deepEqual(parseFrame("42"), { type: "legacy", clock: 42 });
  assert.deepEqual(parseFrame(" 0 "), { type: "legacy", clock: 0 });
  assert.equal(encodeFrame({ type: "legacy", clock: 42 }), "42\n");
});

Deno.test('parseFrame rejects -1, 1.5, 1e309, 2**53, "abc" and unknown types', () => {
  const cases: [string, RegExp][] = [
    ["-1", /Cannot accept clock value: current value is "-1"/],
    ["1.5", /current value is "1.5"/],
    ["1e309", /current value is "1e309"/],
    [String(2 ** 53), /current value is "9007199254740992"/],
    ["100000000000000000001", /Cannot accept clock value/],
    ["abc", /Cannot parse frame as JSON: current value is "abc"/],
    ['"5"', /want an object/],
    ["[1]", /want an object/],
    ['{"type":"bogus"}', /Cannot accept frame type: current value is "bogus"/],
    ['{"type":"msg","from":1,"seq":1,"clock":"7"}', /msg.clock: current value is "7"/],
    ['{"type":"msg","from":1,"seq":0,"clock":7}', /msg.seq: current value is 0/],
    ['{"type":"msg","from":-2,"seq":1,"clock":7}', /msg.from: current value is -2/],
    ['{"type":"msg","from":1,"seq":1,"clock":1e309}', /msg.clock: current value is Infinity/],
    ['{"type":"hello","id":1.5}', /hello.id: current value is 1.5/],
    ['{"type":"ack"}', /ack.seq: current value is undefined/],
  ];
  for (const [line, re] of cases) assert.throws(() => parseFrame(line), re, line);
});

Deno.test("encodeFrame round-trips through the decoder", () => {
  const frames = [
    { type: "hello", id: 0 },
    { type: "msg", from: 1, seq: 2 ** 40, clock: 2 ** 53 - 1 },
    { type: "ack", seq: 3 },
  ] as const;
  const d = new FrameDecoder();
  assert.deepEqual(d.push(bytes(frames.map(encodeFrame).join(""))), frames);
});
