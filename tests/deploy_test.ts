/**
 * Container deployment, checked without Docker or Kubernetes (neither runs here): the
 * Dockerfile, compose.yaml and deploy/k8s/ parse, agree with each other and with the cluster
 * file format, and grant the node no more than it needs. What these tests cannot show (an
 * image builds, pods resolve each other, compose's secret ownership) is listed in
 * docs/deploy.md.
 */
import assert from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { parseClusterFile } from "../lib/cli/cluster_file.ts";
import { idFromHostname } from "../lib/cli/cluster_nodes.ts";
import { parseMachineArgs } from "../lib/cli/machine_args.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const read = (path: string) => Deno.readTextFileSync(`${ROOT}${path}`);

/** What the task grants a node: network, read the cluster file and secret, write its logs. */
const GRANTED = new Set([
  "--cached-only",
  "--no-prompt",
  "--allow-net",
  "--allow-read=/etc/lamport,/run/secrets",
  "--allow-write=/logs",
  "--allow-env=LAMPORT_SECRET",
  "--allow-sys=hostname",
]);

// deno-lint-ignore no-explicit-any
type Doc = any;

function yamlDocs(path: string): Doc[] {
  const docs = parseAllDocuments(read(path), { merge: true }); // compose uses `<<:`
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) assert.deepEqual(d.errors, [], `${path}: ${d.errors.join("; ")}`);
  return list.map((d) => d.toJS());
}

/** The Dockerfile's ENTRYPOINT, as a JSON array. */
function entrypoint(): string[] {
  const m = /^ENTRYPOINT (\[.*\])$/m.exec(read("Dockerfile"));
  assert.ok(m, "the Dockerfile has an exec-form ENTRYPOINT");
  return JSON.parse(m[1]);
}

/** The deno flags of a `deno run … machine.ts …` command, and the node's own flags. */
function split(argv: string[]): { flags: string[]; node: string[] } {
  assert.deepEqual(argv.slice(0, 2), ["deno", "run"]);
  const at = argv.indexOf("machine.ts");
  assert.ok(at > 0, argv.join(" "));
  return { flags: argv.slice(2, at), node: argv.slice(at + 1) };
}

Deno.test("Dockerfile: the official Deno image of this Deno, dependencies cached at build, a non-root user, the node as entrypoint with least privilege", () => {
  const text = read("Dockerfile");
  assert.equal(/^FROM (\S+)$/m.exec(text)?.[1], `denoland/deno:${Deno.version.deno}`);
  assert.match(text, /^RUN deno cache --frozen machine\.ts$/m);
  const user = /^USER (\S+)$/gm;
  const users = [...text.matchAll(user)].map((m) => m[1]);
  assert.deepEqual(users, ["deno"]);
  assert.ok(text.indexOf("USER deno") < text.indexOf("ENTRYPOINT"));
  const { flags, node } = split(entrypoint());
  assert.deepEqual(node, []);
  for (const f of flags) assert.ok(GRANTED.has(f), `${f} is more than a node needs`);
  assert.ok(!flags.some((f) => /^(-A|--allow-all|--allow-run|--allow-ffi)/.test(f)));
  // Everything machine.ts imports from the project goes into the image.
  const ignore = read(".dockerignore").split("\n").filter((l) => l.startsWith("!"));
  assert.deepEqual(ignore.sort(), ["!deno.json", "!deno.lock", "!lib/", "!machine.ts"]);
  for (const spec of ["deno.json", "deno.lock", "lib/", "machine.ts"]) {
    assert.match(text, new RegExp(`^COPY .*${spec.replace(".", "\\.")}`, "m"), spec);
  }
});

Deno.test("deploy/k8s: a headless Service, a StatefulSet and a ConfigMap that agree on names, ports, ids and the cluster file", () => {
  const [service] = yamlDocs("deploy/k8s/service.yaml");
  const [config] = yamlDocs("deploy/k8s/configmap.yaml");
  const [set] = yamlDocs("deploy/k8s/statefulset.yaml");
  assert.deepEqual([service.kind, config.kind, set.kind], ["Service", "ConfigMap", "StatefulSet"]);
  assert.equal(service.spec.clusterIP, "None");
  assert.equal(service.spec.publishNotReadyAddresses, true);
  assert.equal(set.spec.serviceName, service.metadata.name);
  const labels = set.spec.template.metadata.labels;
  for (const [k, v] of Object.entries(service.spec.selector)) assert.equal(labels[k], v);
  for (const [k, v] of Object.entries(set.spec.selector.matchLabels)) assert.equal(labels[k], v);
  const pod = set.spec.template.spec;
  const [container] = pod.containers;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.runAsUser, 1993, "the image's deno user");
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  const port = container.ports[0].containerPort;
  assert.equal(service.spec.ports[0].port, port);
  assert.equal(service.spec.ports[0].targetPort, port);
  // The node's command: the Dockerfile's flags, then the node's own.
  const script: string = container.args[0];
  const line = script.split("\n").find((l) => l.startsWith("deno run"))!;
  const { flags, node } = split(line.replace(/ &$/, "").split(" "));
  assert.deepEqual(flags, split(entrypoint()).flags);
  assert.ok(node.includes("--id-from-hostname") && node.includes("--log"));
  // The cluster file from the ConfigMap, where the command reads it.
  const mount = container.volumeMounts.find((m: Doc) => m.name === "cluster");
  const volume = pod.volumes.find((v: Doc) => v.name === "cluster");
  assert.equal(volume.configMap.name, config.metadata.name);
  const clusterPath = node[node.indexOf("--cluster") + 1];
  const key = clusterPath.slice(mount.mountPath.length + 1);
  assert.equal(`${mount.mountPath}/${key}`, clusterPath);
  const file = parseClusterFile(config.data[key], { path: clusterPath });
  assert.equal(file.nodes.length, set.spec.replicas);
  for (let ordinal = 0; ordinal < set.spec.replicas; ordinal++) {
    const hostname = `${set.metadata.name}-${ordinal}`;
    const n = file.nodes[ordinal];
    assert.deepEqual([n.id, n.host, n.port], [
      idFromHostname(hostname),
      `${hostname}.${service.metadata.name}`,
      port,
    ]);
    const args = parseMachineArgs(node, { readCluster: () => file, hostname: () => hostname });
    assert.ok(!args.help);
    assert.equal(args.node.id, ordinal + 1);
    assert.equal(args.node.bind, "0.0.0.0");
    assert.equal(args.node.log, "-");
    assert.deepEqual(
      args.node.peers.map((p) => p.host),
      file.nodes.filter((_, i) => i !== ordinal).map((x) => x.host),
    );
  }
  // The secret: from a Kubernetes Secret, as LAMPORT_SECRET (never on the command line).
  const env = container.env.find((e: Doc) => e.name === "LAMPORT_SECRET");
  assert.equal(env.valueFrom.secretKeyRef.name, "lamport-secret");
  assert.ok(!script.includes("--secret"), "no secret on the command line");
});

Deno.test("compose.yaml: 3 nodes of one cluster file, the secret owner-only at the path the file names", () => {
  const [compose] = yamlDocs("compose.yaml");
  const services = Object.entries(compose.services) as [string, Doc][];
  assert.equal(services.length, 3);
  const configFile = compose.configs.cluster.file.replace(/^\.\//, "");
  const file = parseClusterFile(read(configFile), { path: configFile });
  const secretTarget = file.shared.get("secret-file");
  assert.deepEqual(
    file.nodes.map((n) => [n.id, n.host]),
    services.map(([name], i) => [i + 1, name]),
  );
  for (const [name, s] of services) {
    assert.equal(s.hostname, name);
    const [config] = s.configs;
    const [secret] = s.secrets;
    assert.equal(secret.target, secretTarget);
    assert.equal(secret.uid, "1993");
    assert.equal(secret.mode & 0o077, 0, "readable by its owner only, as --secret-file wants");
    assert.equal(compose.secrets[secret.source].environment, "LAMPORT_SECRET");
    const args = parseMachineArgs(s.command, { readCluster: () => file });
    assert.ok(!args.help);
    assert.equal(s.command[s.command.indexOf("--cluster") + 1], config.target);
    assert.equal(args.secretFile, secretTarget);
    assert.equal(args.node.log, "-");
    assert.equal(args.node.bind, "0.0.0.0");
    assert.equal(args.node.peers.length, 2);
    assert.ok(args.node.peers.every((p) => p.port === 5001));
  }
});
