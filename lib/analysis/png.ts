/**
 * SVG to PNG with resvg (`@resvg/resvg-js`, a native addon). The addon is loaded on the first
 * PNG, not at import: a program that only writes SVG (or prints its help) starts without it
 * and without the permissions it needs.
 *
 * Those permissions: `--allow-ffi`, `--allow-read` of Deno's npm cache (the addon's file) and
 * `--allow-sys=cpus,networkInterfaces,hostname` (its C library check).
 *
 * @module
 */
import type { Resvg } from "@resvg/resvg-js";

/** The permission flags the PNG renderer needs, for messages. */
export const PNG_PERMISSIONS =
  "--allow-ffi, --allow-read (Deno's npm cache) and --allow-sys=cpus,networkInterfaces,hostname";

/**
 * Rasterises an SVG document to PNG bytes at its own size, with the system fonts loaded
 * (DejaVu Sans as default) and a white background. Loads the renderer on first use; a missing
 * permission is an error naming the flags to add.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { svgToPng } from "./png.ts";
 * const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>');
 * assert.equal(new TextDecoder().decode(png.subarray(1, 4)), "PNG");
 * assert.equal(new DataView(png.buffer, png.byteOffset).getUint32(16), 4); // width
 * ```
 */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  if (typeof svg !== "string" || !svg.includes("<svg")) {
    const shown = typeof svg === "string" ? JSON.stringify(svg.slice(0, 40)) : typeof svg;
    throw new TypeError(`Cannot draw a PNG as the input is not an SVG document: ${shown}`);
  }
  const renderer = await loadResvg();
  const png = new renderer(svg, {
    background: "white",
    fitTo: { mode: "original" },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** The `Resvg` class, imported on first use (the runtime keeps the module once loaded). */
async function loadResvg(): Promise<typeof Resvg> {
  try {
    return (await import("@resvg/resvg-js")).Resvg;
  } catch (err) {
    const denied = err instanceof Deno.errors.NotCapable ||
      err instanceof Deno.errors.PermissionDenied;
    throw new Error(
      denied
        ? `Cannot load the PNG renderer as permission is denied: run with ${PNG_PERMISSIONS}`
        : "Cannot load the PNG renderer (@resvg/resvg-js)",
      { cause: err },
    );
  }
}
