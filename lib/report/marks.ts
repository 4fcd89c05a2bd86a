/**
 * How the space-time pictures draw things, shared by the static SVG and the interactive page:
 * one shape per event kind (told apart without colour), colour-blind-safe colours (Okabe–Ito),
 * and one line style per message outcome.
 *
 * @module
 */

/** Event kinds as the tracker numbers them (CK_SEND, CK_RECEIVE, CK_INTERNAL). */
export const KIND_SEND = 1, KIND_RECEIVE = 2, KIND_INTERNAL = 3;
/** Message outcomes as the tracker numbers them (MSG_*). */
export const OUTCOME_RECEIVED = 0, OUTCOME_QUEUED = 1, OUTCOME_UNDELIVERED = 2, OUTCOME_LOST = 3;

/** Okabe–Ito colours (colour-blind safe). */
export const COLOURS = {
  blue: "#0072B2",
  orange: "#E69F00",
  vermillion: "#D55E00",
  green: "#009E73",
  purple: "#CC79A7",
  sky: "#56B4E9",
  yellow: "#F0E442",
  grey: "#555555",
} as const;

/** Fill, stroke and name of each event kind (index: kind). */
export const KIND_STYLE: { name: string; fill: string; stroke: string }[] = [
  { name: "", fill: "none", stroke: "none" },
  { name: "SEND", fill: COLOURS.vermillion, stroke: "#7a2e00" },
  { name: "RECEIVE", fill: COLOURS.blue, stroke: "#003a5c" },
  { name: "INTERNAL", fill: "#ffffff", stroke: COLOURS.grey },
];

/** Stroke, dash and legend text of each message outcome (index: outcome). */
export const OUTCOME_STYLE: { stroke: string; dash: string; name: string }[] = [
  { stroke: "#444444", dash: "", name: "message (SEND → RECEIVE)" },
  { stroke: COLOURS.blue, dash: "6 3", name: "still queued at the receiver's END" },
  { stroke: COLOURS.vermillion, dash: "2 3", name: "undelivered (logged by the sender)" },
  { stroke: COLOURS.purple, dash: "2 3", name: "lost (never received, queued or logged)" },
];

/**
 * `x` rounded to one decimal: SVG coordinates of the report's pictures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { r1 } from "./marks.ts";
 * assert.equal(r1(12.345), 12.3);
 * ```
 */
export function r1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * SVG path data of an event mark of `kind` centred at (x, y), about `r` pixels in radius:
 * SEND a triangle pointing up, RECEIVE a circle, INTERNAL a square.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KIND_INTERNAL, markPath } from "./marks.ts";
 * assert.equal(markPath(KIND_INTERNAL, 10, 20, 4), "M6.8,16.8h6.4v6.4h-6.4Z");
 * ```
 */
export function markPath(kind: number, x: number, y: number, r: number): string {
  if (kind === KIND_SEND) {
    const h = r * 1.25;
    return `M${r1(x)},${r1(y - h)}L${r1(x + h)},${r1(y + h * 0.75)}L${r1(x - h)},${
      r1(y + h * 0.75)
    }Z`;
  }
  if (kind === KIND_RECEIVE) {
    return `M${r1(x - r)},${r1(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
  const s = r * 0.8;
  return `M${r1(x - s)},${r1(y - s)}h${r1(2 * s)}v${r1(2 * s)}h${r1(-2 * s)}Z`;
}

/**
 * Path data of a small "×" at (x, y): the end of an undelivered message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossPath } from "./marks.ts";
 * assert.equal(crossPath(0, 0, 2), "M-2,-2L2,2M-2,2L2,-2");
 * ```
 */
export function crossPath(x: number, y: number, r: number): string {
  return `M${r1(x - r)},${r1(y - r)}L${r1(x + r)},${r1(y + r)}M${r1(x - r)},${r1(y + r)}L${
    r1(x + r)
  },${r1(y - r)}`;
}
