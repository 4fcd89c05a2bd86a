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
