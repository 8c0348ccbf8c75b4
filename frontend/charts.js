// Small hand-written SVG charts: horizontal bars, paired monthly bars, a line over time.
// Values arrive as decimal strings; numbers are used only to scale the drawing, labels keep the strings.

const SVG = "http://www.w3.org/2000/svg";
// Drawing width: narrower on a phone, so the 14px labels stay readable once scaled down.
const chartWidth = () => (window.innerWidth < 640 ? 360 : 560);

function node(name, attrs = {}, text) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

function frame(width, height, label) {
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, preserveAspectRatio: "xMidYMid meet" });
  svg.append(node("title", {}, label));
  return svg;
}

/** Money with thousands separators, from its decimal string (no float rounding). */
export function money(value) {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  const negative = text.startsWith("-");
  const [whole, fraction] = text.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "−" : "") + grouped + (fraction !== undefined ? "." + fraction : "");
}

function compact(value) {
  const abs = Math.abs(value);
  if (abs >= 1e6) return +(value / 1e6).toFixed(2) + "M";
  if (abs >= 1e3) return +(value / 1e3).toFixed(1) + "k";
  return String(Math.round(value));
}

/** The smallest 1, 2, 4, 6 or 8 times a power of ten at or above `value`: round quarter ticks. */
function niceCeiling(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((m) => m * power).find((m) => m >= value);
}

/** Spending per category: one bar per category, largest first. */
export function categoryBars(categories, label) {
  const rows = categories.filter((c) => Number(c.money_out) > 0).sort((a, b) => Number(b.money_out) - Number(a.money_out));
  const width = chartWidth(), rowHeight = 26, labelWidth = 140, valueWidth = 80;
  const height = Math.max(rowHeight, rows.length * rowHeight) + 8;
  const svg = frame(width, height, label);
  const max = Math.max(...rows.map((r) => Number(r.money_out)), 1);
  const barSpace = width - labelWidth - valueWidth;
  rows.forEach((row, i) => {
    const y = 4 + i * rowHeight;
    const w = Math.max(2, (Number(row.money_out) / max) * barSpace);
    svg.append(node("text", { x: labelWidth - 8, y: y + 17, "text-anchor": "end", class: "axis" }, row.label || row.category));
    const bar = node("rect", { x: labelWidth, y: y + 4, width: w, height: rowHeight - 8, rx: 3, class: "bar-out" });
    bar.append(node("title", {}, `${row.label}: ${money(row.money_out)} out, ${row.count} transactions`));
    svg.append(bar);
    svg.append(node("text", { x: labelWidth + w + 6, y: y + 17, class: "value" }, money(row.money_out)));
  });
  if (!rows.length) svg.append(node("text", { x: 8, y: 18, class: "axis" }, "No spending in this statement"));
  return svg;
}

/** Money in and out per month, side by side, with the net written under each month. */
export function cashFlowBars(months, label) {
  const width = chartWidth(), height = 240, left = 48, bottom = 44, top = 12;
  const svg = frame(width, height, label);
  const max = niceCeiling(Math.max(...months.flatMap((m) => [Number(m.money_in), Number(m.money_out)]), 1));
  const plot = height - bottom - top;
  const slot = (width - left) / Math.max(months.length, 1);
  const barWidth = Math.min(40, slot / 3);
  for (let i = 0; i <= 4; i++) {
    const y = top + plot - (plot * i) / 4;
    svg.append(node("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }));
    svg.append(node("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, compact((max * i) / 4)));
  }
  months.forEach((m, i) => {
    const centre = left + slot * i + slot / 2;
    for (const [key, cls, dx] of [["money_in", "bar-in", -barWidth - 1], ["money_out", "bar-out", 1]]) {
      const h = (Number(m[key]) / max) * plot;
      const bar = node("rect", { x: centre + dx, y: top + plot - h, width: barWidth, height: Math.max(h, 1), class: cls });
      bar.append(node("title", {}, `${m.month}: ${key === "money_in" ? "in" : "out"} ${money(m[key])}`));
      svg.append(bar);
    }
    // Narrow slots (many months, small screens): shorter labels, every n-th month, no net line.
    if (i % Math.ceil(50 / slot) === 0) {
      const text = slot >= 70 ? m.month : m.month.slice(2);
      svg.append(node("text", { x: centre, y: height - bottom + 16, "text-anchor": "middle", class: "axis" }, text));
    }
    if (slot >= 100) {
      svg.append(node("text", { x: centre, y: height - bottom + 32, "text-anchor": "middle", class: "value" }, `net ${money(m.net)}`));
    }
  });
  return svg;
}

/** Balance at the end of each day, with the zero line when the balance goes below it. */
export function balanceLine(daily, label) {
  const width = chartWidth(), height = 220, left = 56, bottom = 28, top = 12, right = 12;
  const svg = frame(width, height, label);
  if (!daily.length) {
    svg.append(node("text", { x: 8, y: 18, class: "axis" }, "No balances printed"));
    return svg;
  }
  const values = daily.map((d) => Number(d.balance));
  const low = -niceCeiling(-Math.min(0, ...values)) * (Math.min(...values) < 0 ? 1 : 0);
  const high = niceCeiling(Math.max(...values, 1));
  const plot = height - top - bottom, span = width - left - right;
  const x = (i) => left + (daily.length === 1 ? span / 2 : (span * i) / (daily.length - 1));
  const y = (v) => top + plot - ((v - low) / (high - low || 1)) * plot;
  for (let i = 0; i <= 4; i++) {
    const v = low + ((high - low) * i) / 4;
    svg.append(node("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(node("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, compact(v)));
  }
  if (low < 0) svg.append(node("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), class: "zero" }));
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  svg.append(node("polyline", { points, class: "line" }));
  for (const i of [0, daily.length - 1]) {
    svg.append(node("text", { x: x(i), y: height - 8, "text-anchor": i ? "end" : "start", class: "axis" }, daily[i].date));
  }
  return svg;
}
