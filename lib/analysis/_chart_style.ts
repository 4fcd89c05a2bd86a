/**
 * How each chart series is told apart, also without colour: a colour-blind-safe palette
 * (Okabe–Ito), a dash pattern per line and a mark shape per point series.
 *
 * @module
 */
import { r1 } from "./_format.ts";

/** Okabe–Ito colours, most distinct first (yellow left out: too light on white). */
export const PALETTE = [
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#000000", // black
  "#8C6D31", // brown (dark, for contrast)
];

const DASHES = ["", "7 3", "2 3", "9 3 2 3", "4 2", "1 2", "12 4", "5 2 1 2", "3 5", "14 3 3 3"];

/**
 * Colour of series `i`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesColour } from "./_chart_style.ts";
 * assert.equal(seriesColour(0), "#0072B2");
 * assert.equal(seriesColour(8), seriesColour(0));
 * ```
 */
export function seriesColour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/**
 * Dash pattern of line series `i` ("" = solid).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesDash } from "./_chart_style.ts";
 * assert.equal(seriesDash(0), "");
 * assert.notEqual(seriesDash(1), seriesDash(9));
 * ```
 */
export function seriesDash(i: number): string {
  return DASHES[i % DASHES.length];
}

/**
 * Path data of the mark of point series `i` at (x, y), radius `r`: circle, square, triangle,
 * diamond, then the same four again (drawn hollow, see {@link seriesHollow}), rounded to 0.1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesMark } from "./_chart_style.ts";
 * assert.equal(seriesMark(1, 10, 10, 3), "M7.3,7.3h5.4v5.4h-5.4Z");
 * ```
 */
export function seriesMark(i: number, x: number, y: number, r: number): string {
  switch (i % 4) {
    case 0:
      return `M${r1(x - r)},${r1(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    case 1: {
      const s = r * 0.9;
      return `M${r1(x - s)},${r1(y - s)}h${r1(2 * s)}v${r1(2 * s)}h${r1(-2 * s)}Z`;
    }
    case 2: {
      const h = r * 1.2;
      return `M${r1(x)},${r1(y - h)}L${r1(x + h)},${r1(y + h * 0.8)}L${r1(x - h)},${
        r1(y + h * 0.8)
      }Z`;
    }
    default: {
      const d = r * 1.25;
      return `M${r1(x)},${r1(y - d)}L${r1(x + d)},${r1(y)}L${r1(x)},${r1(y + d)}L${r1(x - d)},${
        r1(y)
      }Z`;
    }
  }
}

/**
 * Whether the marks of series `i` are drawn hollow (series 4–7 and beyond).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesHollow } from "./_chart_style.ts";
 * assert.deepEqual([0, 3, 4, 7, 8].map(seriesHollow), [false, false, true, true, false]);
 * ```
 */
export function seriesHollow(i: number): boolean {
  return i % 8 >= 4;
}
