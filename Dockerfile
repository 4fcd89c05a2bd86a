# One Lamport-clock node (machine.ts) as a container: see docs/deploy.md.
# Not built here (no Docker daemon on the development machines); tests/deploy_test.ts checks
# this file's flags against what a node needs.
FROM denoland/deno:2.9.6

WORKDIR /app
# The code and the lock file; dependencies are fetched and cached at build time, so the node
# never downloads anything when it starts (--cached-only below).
COPY deno.json deno.lock ./
COPY lib/ lib/
COPY machine.ts ./
RUN deno cache --frozen machine.ts

# The image's unprivileged user (uid 1993); /logs is the only place it may write.
RUN mkdir -p /logs && chown deno:deno /logs
USER deno

# Least privilege: network (peers are DNS names, resolved at each connect), read only the
# cluster file and the secret (/etc/lamport, /run/secrets), write only /logs (or log to stdout
# with --log -), the secret from LAMPORT_SECRET, the host name for --id-from-hostname.
ENTRYPOINT ["deno", "run", "--cached-only", "--no-prompt", "--allow-net", "--allow-read=/etc/lamport,/run/secrets", "--allow-write=/logs", "--allow-env=LAMPORT_SECRET", "--allow-sys=hostname", "machine.ts"]
CMD ["--help"]
