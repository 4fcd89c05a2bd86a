/**
 * Lamport logical-clock lab: nodes that tick at random rates, exchange Lamport timestamps
 * over TCP, and log every event as JSON lines; plus the pieces to simulate and analyze them.
 *
 * The core (`Machine`, `LamportClock`, the wire format) does no I/O: transport, time source
 * and randomness are injected.
 *
 * @example
 * ```ts
 * import { Machine, Prng } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * const m = new Machine({
 *   id: 1,
 *   peers: [],
 *   transport: { send() {}, peerId: () => null },
 *   now: Date.now,
 *   random: new Prng(42),
 *   log: (e) => lines.push(JSON.stringify(e)),
 * });
 * m.start();
 * m.enqueue({ from: 2, seq: 1, clock: 10, arrivedMs: Date.now() });
 * m.tick(); // RECEIVE: clock = max(0, 10) + 1 = 11
 * // A clock far ahead (an attacker's push) is refused and never applied:
 * const why = m.admit({ from: 2, seq: 2, clock: 1e12, arrivedMs: Date.now() });
 * m.end({ reason: "completed" });
 * assert.equal(m.clock, 11);
 * assert.match(why, /ahead of the local clock 11/);
 * ```
 *
 * @module
 */
export {
  checkReceivedClock,
  DEFAULT_MAX_CLOCK_JUMP,
  isClockValue,
  LamportClock,
  MAX_CLOCK,
} from "./lib/core/clock.ts";
export type { ClockStep } from "./lib/core/clock.ts";
export { Machine } from "./lib/core/machine.ts";
export type {
  EndOptions,
  Incoming,
  MachineCounts,
  MachineOptions,
  ReportEvent,
  Transport,
} from "./lib/core/machine.ts";
export { ReceiveQueue } from "./lib/core/receive_queue.ts";
export { SuppressingLimiter } from "./lib/core/rate_limit.ts";
export type { LimiterOptions, Released } from "./lib/core/rate_limit.ts";
export { LineDecoder } from "./lib/core/line_decoder.ts";
export { TickSchedule } from "./lib/core/schedule.ts";
export { deriveSeed, deriveSession, MAX_SESSION, Prng, rollDie } from "./lib/core/prng.ts";
export type { RandomSource } from "./lib/core/prng.ts";
export {
  findSelfPeer,
  formatPeer,
  formatPeerEntry,
  parsePeer,
  parsePeers,
} from "./lib/core/peers.ts";
export type { PeerAddress } from "./lib/core/peers.ts";
export {
  encodeFrame,
  FrameDecoder,
  MAX_FRAME_BYTES,
  parseFrame,
  ProtocolError,
} from "./lib/core/wire.ts";
export type {
  AckFrame,
  AuthFrame,
  Frame,
  HelloFrame,
  LegacyFrame,
  MsgFrame,
} from "./lib/core/wire.ts";
export { formatEvent } from "./lib/core/log_format.ts";
export type {
  EndEvent,
  EndReason,
  EventBase,
  EventName,
  InternalEvent,
  LinkDownEvent,
  LinkUpEvent,
  LogEvent,
  ProtocolErrorEvent,
  QueuedMessage,
  ReceiveEvent,
  SendEvent,
  StartupEvent,
  UndeliveredEvent,
} from "./lib/core/log_schema.ts";
export { LogWriteError, LogWriter } from "./lib/io/log_writer.ts";
export type { LogWriterOptions } from "./lib/io/log_writer.ts";
export { RunningNode, startNode, wallNow } from "./lib/node/node.ts";
export type { NodeEnd, NodeOptions, NodeStatus } from "./lib/node/node.ts";
export { INBOUND_DEFAULTS, randomSession, TcpTransport } from "./lib/node/tcp_transport.ts";
export type { InboundLimits } from "./lib/node/inbound_link.ts";
export type {
  InboundAuth,
  InboundHandshake,
  LinkCodec,
  OutboundAuth,
  OutboundHandshake,
} from "./lib/node/link_codec.ts";
export { limitProtocolErrors } from "./lib/node/reporter.ts";
export type { LimitedReporter } from "./lib/node/reporter.ts";
export { LiveLinks, SenderMemory } from "./lib/node/senders.ts";
export type { LiveLink } from "./lib/node/senders.ts";
export {
  checkSecret,
  createLinkAuth,
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
} from "./lib/auth/link_auth.ts";
export type { LinkAuth } from "./lib/auth/link_auth.ts";
export { AcceptorHandshake, ConnectorHandshake } from "./lib/auth/handshake.ts";
export type { SecretKey } from "./lib/auth/handshake.ts";
export { FrameSealer } from "./lib/auth/frame_mac.ts";
export type { Direction } from "./lib/auth/frame_mac.ts";
export {
  fromBase64,
  hmac,
  hmacKey,
  randomNonce,
  timingSafeEqual,
  toBase64,
} from "./lib/auth/hmac.ts";
export { readSecret } from "./lib/cli/secret_source.ts";
export type { TcpTransportOptions, TransportHandlers } from "./lib/node/tcp_transport.ts";
export { bindWarning, isLoopback, parseMachineArgs, UsageError } from "./lib/cli/machine_args.ts";
export type { MachineArgs, MachineHelpArgs, MachineRunArgs } from "./lib/cli/machine_args.ts";
export {
  CLUSTER_FLAGS,
  describeRange,
  EXPERIMENT_FLAGS,
  fileKey,
  flagValue,
  MACHINE_FLAGS,
  MAX_REAL_NODES,
  MAX_SIMULATED_NODES,
  parseFlags,
} from "./lib/cli/flags.ts";
export type { FlagKind, FlagScope, FlagSpec, FlagTable } from "./lib/cli/flags.ts";
export type { Reporter } from "./lib/node/reporter.ts";
export { analyzeLogs } from "./lib/analysis/analyze.ts";
export type { Analysis, AnalyzeOptions } from "./lib/analysis/analyze.ts";
export { AnalysisError } from "./lib/analysis/errors.ts";
export { summaryMarkdown } from "./lib/analysis/summary_markdown.ts";
export type {
  AnalysisStatus,
  AnalysisSummary,
  IncarnationSummary,
  MachineSummary,
  MessageSummary,
} from "./lib/analysis/summary_data.ts";
export type { CheckResult } from "./lib/analysis/checks.ts";
export type { ChartPanel, ChartSeries } from "./lib/analysis/chart.ts";
export { VectorClock } from "./lib/causality/vector_clock.ts";
export type { ClockOrder } from "./lib/causality/vector_clock.ts";
export { reconstructVectorClocks } from "./lib/causality/reconstruct.ts";
export type { CausalEvent, Reconstruction } from "./lib/causality/reconstruct.ts";
export type { ExtensionCheck } from "./lib/causality/tracker.ts";
export type { CausalityAnalysis, CausalityOptions } from "./lib/analysis/_causality_feed.ts";
export { EventStore } from "./lib/causality/event_store.ts";
export type { EventStoreOptions } from "./lib/causality/event_store.ts";
export type { CausalSink, MessageEdge, TrackedEvent } from "./lib/causality/input.ts";
export type { TimeWindow } from "./lib/causality/window.ts";
export type {
  CausalitySummary,
  MachinePairConcurrency,
  ReceivesWithoutEdge,
} from "./lib/causality/summary.ts";
export { runSimulation } from "./lib/sim/simulation.ts";
export type { SimNode, SimulationOptions, SimulationResult } from "./lib/sim/simulation.ts";
export { EventQueue } from "./lib/sim/simulation_queue.ts";
export type { Scheduled } from "./lib/sim/simulation_queue.ts";
export { MemoryTransport } from "./lib/sim/memory_transport.ts";
export type { Post } from "./lib/sim/memory_transport.ts";
export { runCluster } from "./lib/cluster/run.ts";
export type { ClusterResult, NodeOutcome, RunIo } from "./lib/cluster/run.ts";
export { ClusterUsageError, parseClusterArgs } from "./lib/cli/cluster_args.ts";
export type { ClusterOptions } from "./lib/cluster/options.ts";
export type { Launcher } from "./lib/cluster/command.ts";
export { createRunSecret, removeRunSecret } from "./lib/cluster/run_secret.ts";
export { EXPERIMENT_USAGE, parseExperimentArgs } from "./lib/cli/experiment_args.ts";
export type { ExperimentArgs } from "./lib/cli/experiment_args.ts";
export { runExperiment } from "./lib/experiment/run.ts";
export type { ExperimentOptions, ExperimentResult } from "./lib/experiment/run.ts";
export type {
  Comparison,
  ExperimentDoc,
  ScenarioRecord,
  TrialRecord,
} from "./lib/experiment/aggregate.ts";
export type { ExperimentPlan, Scenario, Sweep, TrialSpec } from "./lib/experiment/plan.ts";
export { predictCluster, sendShare } from "./lib/experiment/model.ts";
export type { ClusterPrediction, MachinePrediction } from "./lib/experiment/model.ts";
export { sampleStats, studentTCdf, studentTQuantile } from "./lib/experiment/stats.ts";
export type { SampleStats } from "./lib/experiment/stats.ts";
export { METRICS } from "./lib/experiment/figures.ts";
export type { MachineFigures, MetricId, Rank, TrialFigures } from "./lib/experiment/figures.ts";
