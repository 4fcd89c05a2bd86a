/** Test support: free loopback TCP ports. */
export function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => l.addr.port);
  listeners.forEach((l) => l.close());
  return ports;
}

/**
 * A base port with `n` consecutive free ports, below the ephemeral range (32768+) so that no
 * outgoing connection of another test takes one of them meanwhile.
 */
export function freeRange(n: number): number {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 10000);
    const open: Deno.Listener[] = [];
    try {
      for (let p = base; p < base + n; p++) {
        open.push(Deno.listen({ hostname: "127.0.0.1", port: p }));
      }
      return base;
    } catch {
      // taken: try another base
    } finally {
      open.forEach((l) => l.close());
    }
  }
  throw new Error(`Cannot find ${n} consecutive free ports`);
}
