/**
 * The drift picture: one panel per region (the rollup `all` last), JS at each check against the samples observed,
 * θ as a dashed line, triggers as red dots and the rollup's deferrals to a region as hollow dots. SVG, no
 * dependencies; people look at drift rather than read it.
 */
import type { WindowSnapshot } from "./window.do";

const WIDTH = 760;
const PANEL = 150;
const PAD = { left: 48, right: 16, top: 34, bottom: 24 };

/** Render `regions` (name → snapshot) for `language` as a standalone SVG document. */
export function driftChartSvg(language: string, regions: [string, WindowSnapshot][]): string {
  const height = 40 + regions.length * (PANEL + PAD.top + PAD.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${PAD.left}" y="22" font-size="15" font-weight="600">Drift of ${escapeXml(language)}: JS(P_ref ‖ P_mon) per region against θ</text>`,
  ];
  regions.forEach(([region, s], i) => {
    parts.push(panel(region, s, 40 + i * (PANEL + PAD.top + PAD.bottom)));
  });
  if (regions.length === 0) parts.push(`<text x="${PAD.left}" y="36">No drift telemetry recorded yet.</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}

function panel(region: string, s: WindowSnapshot, top: number): string {
  const x0 = PAD.left;
  const x1 = WIDTH - PAD.right;
  const y0 = top + PAD.top;
  const y1 = y0 + PANEL;
  const points = s.timeline;
  const theta = s.theta ?? 0.15;
  const yMax = Math.max(theta * 1.5, ...points.map((p) => p.js), 0.05);
  const first = points[0]?.sample ?? 0;
  const last = points[points.length - 1]?.sample ?? 1;
  const span = Math.max(1, last - first);
  const x = (sample: number) => x0 + ((sample - first) / span) * (x1 - x0);
  const y = (js: number) => y1 - (js / yMax) * (y1 - y0);
  const out = [
    `<text x="${x0}" y="${top + 20}" font-size="13" font-weight="600">${escapeXml(region)}</text>`,
    `<text x="${x0 + 90}" y="${top + 20}" fill="#555">model ${escapeXml(s.modelVersion ?? "–")} · ${s.totalSamples} samples · window ${s.samples} · ${s.triggers} trigger(s) · JS ${s.js === null ? "–" : s.js.toFixed(3)} · θ ${theta.toFixed(3)}</text>`,
    `<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${PANEL}" fill="#fafafa" stroke="#ddd"/>`,
    `<line x1="${x0}" x2="${x1}" y1="${y(theta)}" y2="${y(theta)}" stroke="#d33" stroke-dasharray="5 4"/>`,
    `<text x="${x1 - 4}" y="${y(theta) - 4}" text-anchor="end" fill="#d33">θ</text>`,
    `<text x="${x0 - 6}" y="${y0 + 4}" text-anchor="end">${yMax.toFixed(2)}</text>`,
    `<text x="${x0 - 6}" y="${y1}" text-anchor="end">0</text>`,
    `<text x="${x0}" y="${y1 + 15}">${first}</text>`,
    `<text x="${x1}" y="${y1 + 15}" text-anchor="end">${last} samples</text>`,
  ];
  if (points.length > 1)
    out.push(
      `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${points.map((p) => `${x(p.sample).toFixed(1)},${y(p.js).toFixed(1)}`).join(" ")}"/>`,
    );
  for (const p of points) {
    if (p.outcome === "over-theta")
      out.push(
        `<circle cx="${x(p.sample).toFixed(1)}" cy="${y(p.js).toFixed(1)}" r="5" fill="#d33"><title>trigger ${escapeXml(p.triggerId ?? "")} at ${p.at}: JS ${p.js.toFixed(3)}</title></circle>`,
      );
    else if (p.outcome === "deferred")
      out.push(
        `<circle cx="${x(p.sample).toFixed(1)}" cy="${y(p.js).toFixed(1)}" r="4" fill="none" stroke="#d33"><title>over θ, left to region ${escapeXml(p.deferredTo ?? "")}</title></circle>`,
      );
    else if (points.length === 1)
      out.push(`<circle cx="${x(p.sample).toFixed(1)}" cy="${y(p.js).toFixed(1)}" r="3" fill="#2563eb"/>`);
  }
  if (points.length === 0)
    out.push(
      `<text x="${x0 + 8}" y="${y0 + 18}" fill="#555">no check yet: the window fills to 1000 samples first</text>`,
    );
  return out.join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
