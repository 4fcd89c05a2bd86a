/**
 * `deno task build:report`: regenerates `lib/report/_client_bundle.ts` (the report page's
 * script with D3) after a change under `lib/report/client/` or to `lib/report/marks.ts` or
 * `lib/causality/cone.ts`.
 *
 * @module
 */
import { BUNDLE_MODULE, bundleClient } from "../lib/report/client_bundle.ts";

const source = await bundleClient();
Deno.writeTextFileSync(BUNDLE_MODULE, source);
console.log(`Wrote ${BUNDLE_MODULE.pathname} (${(source.length / 1024).toFixed(1)} KiB)`);
