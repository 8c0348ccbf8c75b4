// The result view: account details, reconciliation, charts, exports and the transactions table.
import * as api from "./api.js";
import { balanceLine, cashFlowBars, categoryBars, money } from "./charts.js";
import { renderTransactions } from "./transactions.js";

const EXPORTS = [
  ["CSV", "export?format=csv", "csv"],
  ["Excel (XLSX)", "export?format=xlsx", "xlsx"],
  ["OFX", "export?format=ofx", "ofx"],
  ["JSON", "export?format=json", "json"],
  ["HTML report", "report", "html"],
];

function el(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function reveal(jobId, filename, content, focus) {
  const section = document.querySelector("#result");
  section.hidden = false;
  section.dataset.jobId = jobId;
  document.querySelector("#result-title").textContent = `Result: ${filename || jobId}`;
  document.querySelector("#result-body").replaceChildren(...content);
  if (focus) section.focus();
}

export function showFailure(jobId, status, focus) {
  const box = el("div", { class: "failure", role: "alert" },
    el("p", { class: "error-text" }, status.error || status.message || "The job failed."),
    el("p", { class: "advice" }, api.adviceFor(status.error_type)));
  reveal(jobId, status.filename, [box], focus);
}

export function showResult(jobId, status, result, focus) {
  const data = result.extracted_data || {};
  if (result.document_type !== "bank_statement") {
    const text = (data.pages || []).map((p) => `— page ${p.page} (${p.source}) —\n${p.text}`).join("\n\n");
    // Only the JSON export applies to a document without transactions.
    reveal(jobId, result.filename, [exportButtons(jobId, result.filename, ["json"]), el("pre", { class: "plain-text" }, text)], focus);
    return;
  }
  const reports = result.reports || {};
  const reconciliation = reports.reconciliation || {};
  reveal(jobId, result.filename, [
    el("div", { class: "result-top" }, accountDetails(data), reconciliationBox(reconciliation)),
    exportButtons(jobId, result.filename),
    charts(reports, data.currency),
    renderTransactions(data.transactions || [], reports, reconciliation),
  ], focus);
}

function accountDetails(data) {
  const period = data.period ? `${data.period.start || "?"} to ${data.period.end || "?"}` : null;
  const items = [
    ["Bank", data.bank_name], ["Account holder", data.account_holder],
    ["Account number", data.account_number], ["Currency", data.currency], ["Period", period],
    ["Opening balance", data.opening_balance && money(data.opening_balance)],
    ["Closing balance", data.closing_balance && money(data.closing_balance)],
    ["Transactions", String((data.transactions || []).length)],
  ];
  const list = el("dl", { class: "account" });
  for (const [term, value] of items) list.append(el("div", {}, el("dt", {}, term), el("dd", {}, value || "not shown")));
  return list;
}

const BADGES = {
  balanced: ["Balanced", "ok"],
  unbalanced: ["Does not balance", "bad"],
  unverifiable: ["Cannot be checked", "warn"],
};

function reconciliationBox(rec) {
  const [text, tone] = BADGES[rec.status] || ["Not checked", "warn"];
  const box = el("div", { class: "reconciliation", "aria-labelledby": "rec-badge" },
    el("p", { class: `badge ${tone}`, id: "rec-badge", "data-status": rec.status || "" }, text));
  if (rec.status === "balanced") {
    box.append(el("p", {}, `Opening ${money(rec.opening_balance)} plus the transactions (${money(rec.sum_of_amounts)}) equals the closing balance ${money(rec.closing_balance)}` +
      (rec.balance_chain ? `; all ${rec.balance_chain.checked} printed running balances follow.` : ".")));
  } else if (rec.status === "unbalanced") {
    if (rec.difference && Number(rec.difference) !== 0) {
      box.append(el("p", {}, `Opening plus the transactions gives ${money(rec.expected_closing)}, the statement prints ${money(rec.closing_balance)}: off by ${money(rec.difference)}.`));
    }
  } else if (rec.reason) {
    box.append(el("p", {}, rec.reason));
  }
  const breaks = (rec.balance_chain && rec.balance_chain.breaks) || [];
  if (breaks.length) {
    const list = el("ul", { class: "breaks" });
    for (const b of breaks) {
      const link = el("a", { href: `#txn-${b.index}` }, `Row ${b.index + 1}`);
      list.append(el("li", {}, link, ` (${b.date || "no date"}, page ${b.page ?? "?"}): printed balance ${money(b.printed_balance)}, expected ${money(b.expected_balance)}, off by ${money(b.difference)}`));
    }
    box.append(el("p", {}, `${breaks.length} running balance${breaks.length > 1 ? "s do" : " does"} not follow from the row before:`), list);
  }
  const suspects = rec.suspected_ocr_errors || [];
  if (suspects.length) {
    box.append(el("p", {}, `${suspects.length} amount${suspects.length > 1 ? "s" : ""} may have been misread by OCR; those rows are marked “check” below.`));
  }
  return box;
}

function exportButtons(jobId, filename, formats = EXPORTS.map((e) => e[2])) {
  const stem = (filename || "result").replace(/\.[^.]+$/, "");
  const group = el("div", { class: "exports", role: "group", "aria-label": "Download the result" },
    el("span", { class: "label" }, "Download:"));
  const note = el("span", { class: "note", role: "status" });
  for (const [label, path, ext] of EXPORTS.filter((e) => formats.includes(e[2]))) {
    const button = el("button", { type: "button", "data-format": ext }, label);
    button.addEventListener("click", async () => {
      note.textContent = "";
      const url = `/job/${encodeURIComponent(jobId)}/${path}`;
      // The report is a page: open it in a tab unless the request needs the API key header.
      if (ext === "html" && !api.needsHeaders()) {
        window.open(url, "_blank", "noopener");
        return;
      }
      try {
        await api.download(url, `${stem}.${ext}`);
      } catch (error) {
        note.textContent = `${label} could not be downloaded: ${error.message} ${api.adviceFor(error.errorType)}`;
      }
    });
    group.append(button);
  }
  group.append(note);
  return group;
}

function figure(title, svg, caption) {
  return el("figure", { class: "chart" }, el("figcaption", {}, el("strong", {}, title), caption ? ` — ${caption}` : ""), svg);
}

function charts(reports, currency) {
  const unit = currency ? ` (${currency})` : "";
  const wrap = el("div", { class: "charts" });
  const categories = (reports.categories && reports.categories.by_category) || [];
  wrap.append(figure(`Spending by category${unit}`, categoryBars(categories, `Spending by category${unit}`)));
  const months = (reports.cash_flow && reports.cash_flow.months) || [];
  if (months.length) {
    wrap.append(figure(`Monthly cash flow${unit}`, cashFlowBars(months, `Money in and out per month${unit}`), "green in, red out"));
  }
  const balances = reports.balances || {};
  if (balances.available && (balances.daily || []).length) {
    const low = balances.minimum ? `lowest ${money(balances.minimum.balance)} on ${balances.minimum.date}` : "";
    wrap.append(figure(`Balance over time${unit}`, balanceLine(balances.daily, `End-of-day balance${unit}; ${low}`), low));
  }
  return wrap;
}
