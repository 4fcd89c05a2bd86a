import assert from "node:assert/strict";
import { BUNDLE_MODULE, bundleClient } from "../lib/report/client_bundle.ts";
import { CLIENT_JS } from "../lib/report/_client_bundle.ts";

Deno.test("lib/report/_client_bundle.ts is the current bundle of the page script (else: deno task build:report)", async () => {
  const fresh = await bundleClient();
  const committed = Deno.readTextFileSync(BUNDLE_MODULE);
  assert.ok(
    committed === fresh,
    `lib/report/_client_bundle.ts is out of date (${committed.length} vs ${fresh.length} characters): run deno task build:report`,
  );
  // Self-contained: D3 is inside, and nothing is fetched from anywhere.
  assert.match(CLIENT_JS, /http:\/\/www\.w3\.org\/2000\/svg/);
  assert.doesNotMatch(CLIENT_JS, /\bimport\s*\(|\bfetch\(|https?:\/\/(?!www\.w3\.org)/);
});
