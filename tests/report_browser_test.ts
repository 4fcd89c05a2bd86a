/**
 * The interactive report in a real browser: headless Chromium (Debian's `chromium`) driven by
 * puppeteer-core. Locally the test is skipped, with a message, when Chromium is missing; in CI
 * (`.ci/run` exports LAMPORT_REQUIRE_BROWSER=1 and installs Chromium) a missing or broken
 * browser fails it. LAMPORT_CHROMIUM overrides the browser's path.
 */
import assert from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { writeOutputs } from "../lib/analysis/write_outputs.ts";
import { reconstructVectorClocks } from "../lib/causality/reconstruct.ts";
import { writeCausalityOutputs } from "../lib/report/write_causality.ts";
import { readLog } from "./support/log_check.ts";

const CHROMIUM = Deno.env.get("LAMPORT_CHROMIUM") ?? "/usr/bin/chromium";
const SAMPLE = "sample_logs/run_2026-11-28_04-06-20";
const required = Deno.env.get("LAMPORT_REQUIRE_BROWSER") === "1";
const present = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
if (!present && !required) {
  console.warn(
    `report browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

async function launch(dir: string): Promise<Browser> {
  try {
    return await puppeteer.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${dir}`,
      ],
    });
  } catch (e) {
    throw new Error(
      `Cannot start Chromium "${CHROMIUM}": the browser test must run here (LAMPORT_REQUIRE_BROWSER=1): install it with apt-get install -y chromium`,
      { cause: e },
    );
  }
}

/** The analyzer's numbers for one event: past, future, concurrent (via vector clocks). */
function expected(p: number, i: number): [number, number, number] {
  const logs = ["1", "2", "3"].map((k) => readLog(`${SAMPLE}/machine_${k}.log`));
  const { events } = reconstructVectorClocks(logs);
  const all = events.flat(), e = events[p][i], id = logs[p][0].machine_id;
  const past = e.clock.size() - 1;
  const future = all.filter((f) => f !== e && f.clock.get(id) >= i + 1).length;
  return [past, future, all.length - 1 - past - future];
}

/** Runs `js` in the page (a string: the project is type-checked without the DOM library). */
async function inPage<T>(page: Page, js: string): Promise<T> {
  return await page.evaluate(js) as T;
}

/** Dispatches a click on the first element matching `selector`. */
async function clickOn(page: Page, selector: string): Promise<void> {
  await inPage(
    page,
    `document.querySelector(${
      JSON.stringify(selector)
    }).dispatchEvent(new MouseEvent("click", { bubbles: true }))`,
  );
}

/** The info panel's cone counts, then the highlighted marks' counts. */
async function counts(page: Page): Promise<number[]> {
  return await inPage(
    page,
    `["past", "future", "concurrent"].map((k) =>
      Number(document.getElementById("info-" + k)?.dataset.count ?? -1)
    ).concat(["past", "future", "conc"].map((c) => document.querySelectorAll("path.ev." + c).length))`,
  );
}

Deno.test({
  name: "report in Chromium: every event and arrow drawn, a click highlights the analyzer's cone",
  ignore: !present && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = Deno.makeTempDirSync();
    const a = analyzeLogs([SAMPLE]);
    await writeOutputs(a, dir, { noPng: true });
    await writeCausalityOutputs(a, dir, { noPng: true });
    const browser = await launch(`${dir}/profile`);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("requestfailed", (r) => errors.push(`request ${r.url()}`));
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(`file://${dir}/analysis_report.html`);
      await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
      const m = a.summary.messages!;
      const drawn = () =>
        inPage<number[]>(
          page,
          `[document.querySelectorAll("path.ev").length, document.querySelectorAll("path.msg").length]`,
        );
      // 600 clock events; 148 received + 21 queued at END = 169 arrows.
      assert.deepEqual(await drawn(), [600, m.matched + m.queued_at_end + m.undelivered]);
      assert.deepEqual(await drawn(), [600, 169]);

      // Click machine 2's 101st event: the highlighted cone is the analyzer's.
      await clickOn(page, 'path.ev[data-p="1"][data-i="100"]');
      const [past, future, conc] = expected(1, 100);
      assert.deepEqual(await counts(page), [past, future, conc, past, future, conc]);
      const info = () => inPage<string>(page, `document.getElementById("info").textContent`);
      assert.match(await info(), /Lamport 101.*\{1: 43, 2: 101, 3: 0\}/s);

      // Zoom in with the wheel, then a real mouse click on an event mark.
      const box = (await (await page.$("rect.zoom-area"))!.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      for (let k = 0; k < 6; k++) await page.mouse.wheel({ deltaY: -400 });
      await page.waitForFunction(`Number(document.body.dataset.marks) < 200`);
      const [p, i] = await inPage<number[]>(
        page,
        `(() => { const e = document.querySelector('path.ev[data-p="2"]');
          return [Number(e.dataset.p), Number(e.dataset.i)]; })()`,
      );
      await page.click(`path.ev[data-p="${p}"][data-i="${i}"]`);
      const [past2, future2, conc2] = expected(p, i);
      assert.deepEqual((await counts(page)).slice(0, 3), [past2, future2, conc2]);

      // Click an arrow: its message, with the latency.
      await clickOn(page, "path.hit");
      assert.match(await info(), /Message seq \d+ from machine .*Latency/s);

      // Lamport axis: the same events, drawn again from the whole run.
      await page.click('button[data-axis="lamport"]');
      assert.deepEqual(await drawn(), [600, 169]);
      const shot = `${dir}/report.png`;
      await (await page.$("#spacetime"))!.screenshot({ path: shot });
      const png = Deno.readFileSync(shot);
      assert.equal(new TextDecoder().decode(png.subarray(1, 4)), "PNG");
      assert.ok(png.length > 20_000, `screenshot of ${png.length} bytes`);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
