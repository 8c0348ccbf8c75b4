// The page: upload, follow each job live (server-sent events, polling as fallback), recent jobs.
import * as api from "./api.js";
import { showFailure, showResult } from "./result.js";

const $ = (selector) => document.querySelector(selector);
const FINISHED = new Set(["completed", "failed"]);
const POLL_MS = 1000;
const RATE_LIMITED_MS = 10000;
const RECENT_PAGE = 10;
const STATUS_WORDS = { queued: "Waiting", processing: "Reading", completed: "Done", failed: "Failed" };

let recentOffset = 0;

function announce(text) {
  const region = $("#announcer");
  region.textContent = "";
  // A fresh text node after a tick is what makes screen readers speak a repeated message.
  setTimeout(() => { region.textContent = text; }, 50);
}

// -- upload -------------------------------------------------------------------------------

function chosenFiles(files) {
  const list = [...files];
  if (!list.length) {
    $("#upload-note").textContent = "Choose at least one file.";
    return;
  }
  $("#upload-note").textContent = `Uploading ${list.length} file${list.length > 1 ? "s" : ""}…`;
  const documentType = $("#document-type").value;
  const password = $("#password").value;
  const started = list.map((file) => startJob(file, documentType, password));
  $("#file-input").value = "";
  Promise.all(started).then(() => { $("#upload-note").textContent = ""; });
}

async function startJob(file, documentType, password, card = newCard(file.name)) {
  card.file = file;
  card.documentType = documentType;
  setCard(card, { status: "queued", progress: 0, message: "Uploading…" });
  try {
    const accepted = await api.submit(file, documentType, password, (percent) => {
      card.el.querySelector(".message").textContent = `Uploading… ${percent}%`;
    });
    card.el.dataset.jobId = accepted.job_id;
    loadRecent();
    follow(card, accepted.job_id);
  } catch (error) {
    failCard(card, { error: error.message, error_type: error.errorType });
  }
}

// -- job cards ----------------------------------------------------------------------------

function newCard(filename) {
  $("#jobs-panel").hidden = false;
  const el = document.createElement("li");
  el.className = "job";
  el.innerHTML = `
    <div class="job-head"><span class="file"></span><span class="status-text"></span></div>
    <div class="bar-row"><progress max="100" value="0"></progress><span class="pct">0%</span></div>
    <p class="message"></p>
    <div class="job-error" hidden>
      <p class="error-text"></p><p class="advice"></p>
      <form class="retry" hidden>
        <label>Password for this PDF <input type="password" name="password" autocomplete="off" required></label>
        <button type="submit">Retry</button>
      </form>
    </div>
    <button type="button" class="open" hidden>Show result</button>
    <button type="button" class="cancel" hidden>Cancel</button>`;
  el.querySelector(".file").textContent = filename;
  el.querySelector("progress").setAttribute("aria-label", `Progress of ${filename}`);
  $("#job-list").prepend(el);
  const card = { el, filename, jobId: null };
  el.querySelector(".open").addEventListener("click", () => openJob(card.jobId, true));
  el.querySelector(".cancel").setAttribute("aria-label", `Cancel ${filename}`);
  el.querySelector(".cancel").addEventListener("click", () => cancelJob(card));
  el.querySelector(".retry").addEventListener("submit", (event) => {
    event.preventDefault();
    const password = event.target.elements.password.value;
    el.querySelector(".job-error").hidden = true;
    startJob(card.file, card.documentType, password, card);
  });
  return card;
}

function setCard(card, status) {
  const { el } = card;
  if (card.cancelled) return;
  el.querySelector(".cancel").hidden = !card.jobId || FINISHED.has(status.status);
  const percent = Math.max(0, Math.min(100, Number(status.progress) || 0));
  el.dataset.status = status.status;
  el.querySelector("progress").value = percent;
  el.querySelector(".pct").textContent = `${percent}%`;
  el.querySelector(".status-text").textContent = STATUS_WORDS[status.status] || status.status;
  el.querySelector(".message").textContent = status.message || "";
  const previous = card.lastAnnounced || { status: "", quarter: -1 };
  const quarter = Math.floor(percent / 25);
  if (previous.status !== status.status || (status.status === "processing" && quarter > previous.quarter)) {
    announce(`${card.filename}: ${STATUS_WORDS[status.status] || status.status}, ${percent}%`);
    card.lastAnnounced = { status: status.status, quarter };
  }
}

async function cancelJob(card) {
  try {
    await api.cancel(card.jobId);
  } catch (error) {
    if (error.status !== 404) {
      card.el.querySelector(".message").textContent = `Could not cancel: ${error.message}`;
      return;
    }
  }
  card.cancelled = true;
  card.el.dataset.status = "cancelled";
  card.el.querySelector(".cancel").hidden = true;
  card.el.querySelector(".status-text").textContent = "Cancelled";
  card.el.querySelector(".message").textContent = "Cancelled; the upload and any result are deleted.";
  announce(`${card.filename} cancelled`);
  loadRecent();
}

function failCard(card, status) {
  if (card.cancelled) return;
  setCard(card, { ...status, status: "failed", progress: status.progress || 0 });
  const box = card.el.querySelector(".job-error");
  box.hidden = false;
  box.querySelector(".error-text").textContent = status.error || status.message || "The job failed.";
  box.querySelector(".advice").textContent = api.adviceFor(status.error_type);
  const retry = box.querySelector(".retry");
  retry.hidden = !(api.needsPassword(status.error_type) && card.file);
  if (!retry.hidden) retry.elements.password.focus();
  announce(`${card.filename} failed. ${api.adviceFor(status.error_type)}`);
}

async function finishCard(card, status) {
  if (card.cancelled) return;
  if (status.status === "failed") {
    failCard(card, status);
  } else {
    setCard(card, status);
    card.el.querySelector(".open").hidden = false;
    await openJob(card.jobId, false);
  }
  loadRecent();
}

// -- following a job ----------------------------------------------------------------------

// A browser keeps at most 6 connections per server over HTTP/1.1; streams beyond this poll,
// so many uploads at once never starve the page's other requests.
const MAX_STREAMS = 3;
let openStreams = 0;

function follow(card, jobId) {
  card.jobId = jobId;
  // EventSource cannot send the API key header: with a key the page polls.
  if (api.needsHeaders() || !window.EventSource || openStreams >= MAX_STREAMS) {
    poll(card);
    return;
  }
  openStreams += 1;
  const source = new EventSource(api.eventsUrl(jobId));
  let ended = false;
  const stop = () => {
    source.close();
    openStreams -= 1;
  };
  source.onmessage = (event) => {
    const status = JSON.parse(event.data);
    if (FINISHED.has(status.status)) {
      ended = true;
      stop();
      finishCard(card, status);
    } else {
      setCard(card, status);
    }
  };
  source.onerror = () => {
    if (ended) return;
    ended = true;
    stop();
    poll(card);
  };
}

async function poll(card) {
  if (card.cancelled) return;
  let wait = POLL_MS;
  try {
    const status = await api.jobStatus(card.jobId);
    if (FINISHED.has(status.status)) return finishCard(card, status);
    setCard(card, status);
  } catch (error) {
    if (error.status === 404 || error.status === 401) return failCard(card, { error: error.message, error_type: error.errorType });
    wait = error.status === 429 ? RATE_LIMITED_MS : POLL_MS; // over the rate limit: slow down
  }
  setTimeout(() => poll(card), wait);
}

// -- opening a job ------------------------------------------------------------------------

let openedByHand = false;

async function openJob(jobId, byHand) {
  if (!jobId || (!byHand && openedByHand)) return;
  openedByHand = openedByHand || byHand;
  if (location.hash !== `#job=${jobId}`) history.replaceState(null, "", `#job=${jobId}`);
  try {
    const status = await api.jobStatus(jobId);
    if (status.status === "completed") {
      showResult(jobId, status, status.result || (await api.jobResult(jobId)), byHand);
    } else if (status.status === "failed") {
      showFailure(jobId, status, byHand);
    } else if (!document.querySelector(`li.job[data-job-id="${CSS.escape(jobId)}"]`)) {
      const card = newCard(status.filename);
      card.el.dataset.jobId = jobId;
      setCard(card, status);
      follow(card, jobId);
    }
  } catch (error) {
    showFailure(jobId, { error: error.message, error_type: error.errorType }, byHand);
  }
}

// -- recent jobs --------------------------------------------------------------------------

let recentRequest = 0;

async function loadRecent() {
  const body = $("#recent-table tbody");
  const mine = ++recentRequest; // several uploads refresh at once: only the last answer counts
  let page;
  try {
    page = await api.recentJobs(RECENT_PAGE, recentOffset);
    if (mine !== recentRequest) return;
  } catch (error) {
    if (mine !== recentRequest) return;
    $("#recent-empty").hidden = false;
    $("#recent-empty").textContent = `Recent jobs could not be loaded: ${error.message} ${api.adviceFor(error.errorType)}`;
    return;
  }
  body.replaceChildren(...page.jobs.map(recentRow));
  $("#recent-empty").hidden = page.jobs.length > 0 || recentOffset > 0;
  $("#recent-empty").textContent = "No jobs yet.";
  $("#recent-newer").disabled = recentOffset === 0;
  $("#recent-older").disabled = !page.has_more;
  const first = recentOffset + 1;
  $("#recent-page").textContent = page.jobs.length ? `${first}–${recentOffset + page.jobs.length}` : "";
}

function recentRow(job) {
  const row = document.createElement("tr");
  const when = job.created_at ? new Date(job.created_at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" }) : "";
  const status = job.status === "processing" ? `${STATUS_WORDS.processing} ${job.progress}%` : STATUS_WORDS[job.status] || job.status;
  row.innerHTML = `<td class="file"><button type="button" class="link"></button></td><td><span class="pill"></span></td><td></td>`;
  const button = row.querySelector("button");
  button.textContent = job.filename || job.job_id;
  button.setAttribute("aria-label", `Open ${job.filename || job.job_id}`);
  button.addEventListener("click", () => openJob(job.job_id, true));
  row.cells[1].firstChild.textContent = status;
  row.cells[1].firstChild.dataset.status = job.status;
  row.cells[2].textContent = when;
  return row;
}

// -- wiring -------------------------------------------------------------------------------

function wireDropZone() {
  const zone = $("#drop-zone");
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) zone.addEventListener(name, () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    chosenFiles(event.dataTransfer.files);
  });
}

function init() {
  wireDropZone();
  $("#file-input").addEventListener("change", (event) => {
    const names = [...event.target.files].map((f) => f.name).join(", ");
    $("#upload-note").textContent = names ? `Chosen: ${names}. Press Upload to start.` : "";
  });
  $("#upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    chosenFiles($("#file-input").files);
  });
  $("#api-key").value = api.apiKey();
  $("#api-key").addEventListener("change", (event) => {
    api.setApiKey(event.target.value.trim());
    loadRecent();
  });
  $("#recent-refresh").addEventListener("click", loadRecent);
  $("#recent-newer").addEventListener("click", () => {
    recentOffset = Math.max(0, recentOffset - RECENT_PAGE);
    loadRecent();
  });
  $("#recent-older").addEventListener("click", () => {
    recentOffset += RECENT_PAGE;
    loadRecent();
  });
  loadRecent();
  openFromAddress();
  window.addEventListener("hashchange", openFromAddress);
}

function openFromAddress() {
  const match = /^#job=(.+)$/.exec(location.hash);
  if (match) openJob(decodeURIComponent(match[1]), true);
}

init();
