/**
 * The report page as a string: everything inline (style, data, script, charts), nothing to
 * fetch, and the page says what it could not show.
 */
import assert from "node:assert/strict";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { PAGE_CSS } from "../lib/report/_report_css.ts";
import { CLIENT_JS } from "../lib/report/_client_bundle.ts";
import { reportHtml } from "../lib/report/report_html.ts";

Deno.test("reportHtml() inlines the page's style, data, script and the chart SVG it is given", () => {
  const a = analyzeLogs(["tests/fixtures/run_small"]);
  const html = reportHtml(a, { chartsSvg: '<svg id="charts-given"></svg>' });
  assert.ok(html.includes(`<style>${PAGE_CSS}</style>`));
  assert.ok(html.includes(CLIENT_JS.slice(0, 200)));
  assert.match(html, /<svg id="charts-given"><\/svg>/);
  const data = /<script type="application\/json" id="lamport-data">([^<]*)<\/script>/.exec(html);
  assert.ok(data !== null, "the data block");
  assert.deepEqual(JSON.parse(data[1]).machines.map((m: { id: number }) => m.id), [1, 2, 3]);
  assert.doesNotMatch(html, /<link |<script[^>]+src=/);
});
