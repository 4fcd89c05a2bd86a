/**
 * The report page's script (bundled with D3 into `_client_bundle.ts` by
 * `deno task build:report`): reads the inlined run, draws the space-time diagram, and answers
 * clicks with the event's Lamport value, vector clock and causal cone, or the message's ends.
 *
 * @module
 */
import { CausalIndex, type Cone } from "../../causality/cone.ts";
import type { ReportData } from "../report_data.ts";
import { KIND_STYLE, OUTCOME_STYLE } from "../marks.ts";
import { SpacetimeView } from "./view.ts";
import { doc, type El, now } from "./_dom.ts";

const data: ReportData = JSON.parse(doc.getElementById("lamport-data")!.textContent!);
const index = new CausalIndex({
  counts: data.t.map((a) => a.length),
  edges: received(data),
});
const info = doc.getElementById("info")!;
const tip = doc.getElementById("tip")!;
const names = data.machines.map((m) => m.name);
/** "3", or "3 #2" for a restarted machine's second incarnation: the vector clock's keys. */
const keys = names.map((n) => n.replace(/^machine /, ""));
const inbound = new Map<string, number>(); // "p/i" of a RECEIVE → message
const outbound = new Map<string, number[]>(); // "p/i" of a SEND → messages
data.msg.s.forEach((s, k) => {
  if (data.msg.st[k] === 0) inbound.set(`${data.msg.r[k]}/${data.msg.ri[k]}`, k);
  const key = `${s}/${data.msg.si[k]}`;
  outbound.set(key, [...(outbound.get(key) ?? []), k]);
});

const svg = doc.getElementById("spacetime-svg")!;
const view = new SpacetimeView(svg, data, {
  select(event) {
    if (event === null) {
      view.highlight(null, null);
      info.replaceChildren(
        text(
          "p",
          "Click an event to see its causal past and future; click an arrow for its message.",
        ),
      );
      return;
    }
    const t0 = now();
    const cone = index.cone(event[0], event[1]);
    view.highlight(event, cone);
    showEvent(event, cone, now() - t0);
  },
  message: showMessage,
  hover(event, at) {
    if (event === null) return void (tip.hidden = true);
    const [p, i] = event;
    tip.textContent = `${describe(p, i)} · vector clock ${vector(index.past(p, i))}`;
    tip.style.left = `${at.x + 12}px`;
    tip.style.top = `${at.y + 12}px`;
    tip.hidden = false;
  },
  status(s) {
    doc.getElementById("view-status")!.textContent = s;
  },
});
for (const b of doc.querySelectorAll("button[data-axis]")) {
  b.addEventListener("click", () => {
    view.setAxis(b.dataset.axis as "time" | "lamport");
    for (const o of doc.querySelectorAll("button[data-axis]")) {
      o.classList.toggle("on", o === b);
    }
  });
}
doc.getElementById("reset")!.addEventListener("click", () => {
  const on = doc.querySelector("button[data-axis].on");
  view.setAxis((on?.dataset.axis ?? "time") as "time" | "lamport");
});
doc.body.dataset.ready = "1";

function received(d: ReportData) {
  const k = d.msg.st.map((st, i) => (st === 0 ? i : -1)).filter((i) => i >= 0);
  return {
    from: k.map((i) => d.msg.s[i]),
    fromIndex: k.map((i) => d.msg.si[i]),
    to: k.map((i) => d.msg.r[i]),
    toIndex: k.map((i) => d.msg.ri[i]),
  };
}

function text(tag: string, s: string, cls = ""): El {
  const e = doc.createElement(tag);
  e.textContent = s;
  if (cls) e.className = cls;
  return e;
}

function describe(p: number, i: number): string {
  return `${names[p]}, event #${i + 1} (${KIND_STYLE[data.k[p][i]].name}), Lamport ${
    data.l[p][i]
  }, t = ${data.t[p][i].toFixed(6)} s`;
}

function vector(past: Int32Array): string {
  const parts: string[] = [];
  const all = past.length <= 24; // small runs: every entry, zeros too
  past.forEach((v, q) => (all || v > 0) && parts.push(`${keys[q]}: ${v}`));
  return `{${
    parts.length > 24
      ? [...parts.slice(0, 24), `… ${parts.length - 24} more`].join(", ")
      : parts.join(", ")
  }}`;
}

function count(id: string, n: number, what: string): El {
  const e = text("span", `${n.toLocaleString("en-US")} ${what}`, id);
  e.id = `info-${id}`;
  e.dataset.count = String(n);
  return e;
}

function showEvent([p, i]: [number, number], cone: Cone, ms: number): void {
  const msg = inbound.get(`${p}/${i}`), out = outbound.get(`${p}/${i}`) ?? [];
  const line = text("p", describe(p, i));
  if (msg !== undefined) {
    line.append(`; receives seq ${data.msg.seq[msg]} from ${names[data.msg.s[msg]]}`);
  }
  if (out.length > 0) {
    line.append(`; sends seq ${data.msg.seq[out[0]]} to ${out.length} machine(s)`);
  }
  const cones = text("p", "");
  cones.append(
    count("past", cone.pastCount, "events in its causal past"),
    ", ",
    count("future", cone.futureCount, "in its causal future"),
    ", ",
    count("concurrent", cone.concurrentCount, "concurrent (dimmed)"),
    ` — found in ${ms.toFixed(1)} ms${data.capped ? ", among the events shown" : ""}.`,
  );
  info.replaceChildren(line, text("p", `Vector clock ${vector(cone.past)}`, "vc"), cones);
}

function showMessage(k: number): void {
  const m = data.msg, s = m.s[k], si = m.si[k], r = m.r[k];
  const from = index.past(s, si);
  const lines = [
    text("p", `Message seq ${m.seq[k]} from ${names[s]} — ${OUTCOME_STYLE[m.st[k]].name}`),
    text("p", `SEND: ${describe(s, si)}; vector clock ${vector(from)}`),
  ];
  if (m.st[k] === 0) {
    const ri = m.ri[k], to = index.past(r, ri);
    lines.push(
      text("p", `RECEIVE: ${describe(r, ri)}; vector clock ${vector(to)}`),
      text(
        "p",
        `Latency (RECEIVE time − SEND time): ${
          ((data.t[r][ri] - data.t[s][si]) * 1000).toFixed(3)
        } ms`,
      ),
    );
  } else if (r >= 0) lines.push(text("p", `Recipient: ${names[r]}`));
  info.replaceChildren(...lines);
}
