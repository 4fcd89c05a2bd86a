/**
 * Bench support: opens a report in headless Chromium (puppeteer-core) and times what a user
 * does: load until drawn, wheel zoom steps from the whole run down to single events, a click.
 *
 * @module
 */
import puppeteer from "puppeteer-core";

/** Times for the report at `file` (absolute path), as a markdown list. */
export async function browserTimes(file: string): Promise<string> {
  const profile = Deno.makeTempDirSync({ dir: "bench/out" });
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
      ...["--disable-background-networking", "--disable-component-update", "--disable-sync"],
      `--user-data-dir=${profile}`,
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const t0 = performance.now();
    await page.goto(`file://${file}`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 120_000 });
    const load = performance.now() - t0;
    const box = (await (await page.$("rect.zoom-area"))!.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let frame = 0, js = 0;
    for (let k = 0; k < 14; k++) {
      const t = performance.now();
      await page.mouse.wheel({ deltaY: -300 });
      await page.evaluate(
        "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))",
      );
      frame = Math.max(frame, performance.now() - t);
      js = Math.max(js, Number(await page.evaluate("document.body.dataset.renderMs")));
    }
    const t1 = performance.now();
    await (await page.$("path.ev"))!.click();
    await page.waitForSelector("#info-past");
    const click = performance.now() - t1;
    const found = await page.evaluate(
      `document.getElementById("info").textContent.match(/found in ([\\d.]+) ms/)[1]`,
    );
    return [
      `- load until drawn: ${load.toFixed(0)} ms`,
      `- 14 wheel zoom steps (whole run → single events): slowest frame ${
        frame.toFixed(0)
      } ms, slowest render ${js.toFixed(0)} ms of script`,
      `- click on an event until its cone is shown: ${
        click.toFixed(0)
      } ms (cone computed in ${found} ms)`,
    ].join("\n");
  } finally {
    await browser.close();
    Deno.removeSync(profile, { recursive: true });
  }
}
