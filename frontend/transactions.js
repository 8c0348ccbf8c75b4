// The transactions table: sort by any column, filter by text and category; rows that break the
// balance chain and rows OCR may have misread are marked in words, not only by colour.
import { money } from "./charts.js";

const LOW_CONFIDENCE = 0.8;
const COLUMNS = [
  ["index", "#", "num"], ["date", "Date", "text"], ["description", "Description", "text"],
  ["categoryLabel", "Category", "text"], ["amount", "Amount", "num"], ["balance", "Balance", "num"],
  ["notes", "Checks", "text"],
];

function rowsOf(transactions, reports, reconciliation) {
  const categories = reports.categories || {};
  const labels = categories.labels || {};
  const byTransaction = categories.by_transaction || [];
  const breaks = new Map(((reconciliation.balance_chain || {}).breaks || []).map((b) => [b.index, b]));
  // One row may have several candidate readings: {index, field, printed, candidate, slip}.
  const suspects = new Map();
  for (const s of reconciliation.suspected_ocr_errors || []) {
    if (s.index !== undefined) suspects.set(s.index, [...(suspects.get(s.index) || []), s]);
  }
  return transactions.map((t, index) => {
    const category = byTransaction[index] || "";
    const notes = [];
    const broken = breaks.get(index);
    if (broken) notes.push(`Balance breaks: expected ${money(broken.expected_balance)}, off by ${money(broken.difference)}`);
    const lowConfidence = t.confidence !== null && t.confidence !== undefined && t.confidence < LOW_CONFIDENCE;
    const suspect = suspects.get(index);
    if (suspect) {
      const readings = suspect.map((s) => `${s.field || "amount"} ${money(s.printed)} may be ${money(s.candidate)}${s.slip ? ` (${s.slip})` : ""}`);
      notes.push(`Check against the paper: ${readings.join(" or ")}`);
    } else if (lowConfidence) {
      notes.push(`Check against the paper: OCR confidence ${Math.round(t.confidence * 100)}%`);
    }
    return { ...t, index, category, categoryLabel: labels[category] || category, broken: Boolean(broken), suspect: Boolean(suspect || lowConfidence), notes: notes.join("; ") };
  });
}

function compare(key, kind) {
  return (a, b) => {
    const x = a[key], y = b[key];
    if (x === null || x === undefined || x === "") return 1;
    if (y === null || y === undefined || y === "") return -1;
    return kind === "num" ? Number(x) - Number(y) : String(x).localeCompare(String(y));
  };
}

function cell(row, key) {
  const td = document.createElement("td");
  if (key === "index") td.textContent = String(row.index + 1);
  else if (key === "amount" || key === "balance") {
    td.textContent = money(row[key]);
    td.className = "num" + (key === "amount" ? (String(row.amount).startsWith("-") ? " out" : " in") : "");
    if (row[key] === null || row[key] === undefined) td.classList.add("none");
  } else if (key === "notes") {
    if (row.broken) td.append(tag("break", "balance break"));
    if (row.suspect) td.append(tag("suspect", "check"));
    if (row.notes) td.append(Object.assign(document.createElement("span"), { className: "why", textContent: row.notes }));
  } else {
    td.textContent = row[key] ?? "";
    if (key === "date") td.className = "date";
  }
  return td;
}

function tag(kind, text) {
  return Object.assign(document.createElement("span"), { className: `tag ${kind}`, textContent: text });
}

export function renderTransactions(transactions, reports, reconciliation) {
  const rows = rowsOf(transactions, reports, reconciliation);
  const state = { key: "index", kind: "num", ascending: true, text: "", category: "" };
  const section = document.createElement("section");
  section.className = "transactions";
  section.setAttribute("aria-labelledby", "txn-title");
  section.innerHTML = `
    <h3 id="txn-title">Transactions</h3>
    <div class="filters">
      <div class="field"><label for="txn-search">Search descriptions</label><input id="txn-search" type="search"></div>
      <div class="field"><label for="txn-category">Category</label><select id="txn-category"><option value="">All categories</option></select></div>
      <p class="note" id="txn-count" role="status"></p>
    </div>
    <div class="table-wrap"><table class="txns"><caption class="visually-hidden">Transactions; column headers sort</caption><thead><tr></tr></thead><tbody></tbody></table></div>`;
  const select = section.querySelector("#txn-category");
  for (const [value, label] of new Map(rows.map((r) => [r.category, r.categoryLabel]))) {
    if (value) select.append(new Option(label, value));
  }
  const headRow = section.querySelector("thead tr");
  for (const [key, label, kind] of COLUMNS) {
    const th = document.createElement("th");
    th.scope = "col";
    if (kind === "num" && key !== "index") th.className = "num";
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: label, className: "sort" });
    button.addEventListener("click", () => {
      state.ascending = state.key === key ? !state.ascending : true;
      Object.assign(state, { key, kind });
      draw();
    });
    th.append(button);
    headRow.append(th);
  }
  const body = section.querySelector("tbody");
  function draw() {
    const text = state.text.toLowerCase();
    const shown = rows
      .filter((r) => (!state.category || r.category === state.category) && (!text || String(r.description).toLowerCase().includes(text)))
      .sort(compare(state.key, state.kind));
    if (!state.ascending) shown.reverse();
    body.replaceChildren(...shown.map((row) => {
      const tr = document.createElement("tr");
      tr.id = `txn-${row.index}`;
      tr.className = [row.broken && "break", row.suspect && "suspect"].filter(Boolean).join(" ");
      for (const [key] of COLUMNS) tr.append(cell(row, key));
      return tr;
    }));
    headRow.querySelectorAll("th").forEach((th, i) => {
      th.setAttribute("aria-sort", COLUMNS[i][0] === state.key ? (state.ascending ? "ascending" : "descending") : "none");
    });
    section.querySelector("#txn-count").textContent = `${shown.length} of ${rows.length} transactions shown`;
  }
  section.querySelector("#txn-search").addEventListener("input", (e) => { state.text = e.target.value; draw(); });
  select.addEventListener("change", (e) => { state.category = e.target.value; draw(); });
  draw();
  return section;
}
