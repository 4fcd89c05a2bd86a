/**
 * The report page's style sheet (inlined into the page).
 *
 * @module
 */

/** CSS of `analysis_report.html`. */
export const PAGE_CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 1500px;
  padding: 0 20px 40px; color: #111; }
h1 { font-size: 22px; margin: 18px 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
.files code { font-size: 11px; color: #555; margin-right: 8px; }
table { border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: normal; color: #444; padding: 3px 18px 3px 0; }
td { padding: 3px 0; font-variant-numeric: tabular-nums; }
#checks li { font-size: 14px; margin: 3px 0; }
#checks li.ok::marker { content: "✓  "; color: #009E73; }
#checks li.bad::marker { content: "✗  "; color: #D55E00; }
#checks li.na::marker { content: "–  "; color: #777; }
#checks li.bad { color: #a33a00; }
.controls { font-size: 14px; margin-bottom: 6px; }
.controls button { font: inherit; margin: 0 4px; padding: 2px 10px; border: 1px solid #999;
  background: #f4f4f4; border-radius: 3px; cursor: pointer; }
.controls button.on { background: #0072B2; color: white; border-color: #0072B2; }
#view-status { color: #444; margin-left: 10px; }
.hint, .legend { font-size: 13px; color: #333; }
.k-past { color: #007a57; font-weight: bold; } .k-future { color: #a8477f; font-weight: bold; }
.plot { border: 1px solid #ddd; overflow-x: hidden; }
#spacetime-svg { display: block; font-family: inherit; cursor: grab; }
#spacetime-svg text { font-size: 12px; }
#spacetime-svg .x-axis text { font-size: 11px; }
#spacetime-svg .ev { cursor: pointer; stroke-width: 1px; }
#spacetime-svg .ev.past { stroke: #009E73; stroke-width: 2.2px; }
#spacetime-svg .ev.future { stroke: #CC79A7; stroke-width: 2.2px; stroke-dasharray: 3 1.5; }
#spacetime-svg .ev.sel { stroke: #000; stroke-width: 3px; }
#spacetime-svg .ev.conc { opacity: 0.18; }
#spacetime-svg .msg { fill: none; stroke-width: 1.3px; pointer-events: none; }
#spacetime-svg .msg.n { stroke: #444; } #spacetime-svg .msg.d { stroke: #ccc; }
#spacetime-svg .msg.p { stroke: #009E73; stroke-width: 2px; }
#spacetime-svg .msg.f { stroke: #CC79A7; stroke-width: 2px; }
#spacetime-svg .msg.o1 { stroke-dasharray: 6 3; stroke: #0072B2; }
#spacetime-svg .msg.o2 { stroke-dasharray: 2 3; stroke: #D55E00; }
#spacetime-svg .msg.o3 { stroke-dasharray: 2 3; stroke: #CC79A7; }
#spacetime-svg .hit { fill: none; stroke: transparent; stroke-width: 9px; cursor: pointer;
  pointer-events: stroke; }
#spacetime-svg .lbl { font-size: 10px; text-anchor: middle; fill: #222; pointer-events: none; }
#spacetime-svg .lbl.conc { opacity: 0.25; }
#info { font-size: 14px; background: #f7f7f7; border-left: 4px solid #0072B2; padding: 4px 12px;
  margin: 8px 0; min-height: 48px; }
#info p { margin: 6px 0; } #info .vc { font-family: monospace; word-break: break-all; }
#info .past { color: #007a57; font-weight: bold; } #info .future { color: #a8477f; font-weight: bold; }
#info .concurrent { color: #555; font-weight: bold; }
#tip { position: absolute; background: #222; color: white; font-size: 12px; padding: 4px 8px;
  border-radius: 3px; pointer-events: none; max-width: 520px; }
.warn { background: #fff4e5; border-left: 4px solid #E69F00; padding: 6px 12px; font-size: 14px; }
.charts svg { max-width: 100%; height: auto; }
`;
