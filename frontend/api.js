// Talking to the docproc API: requests with the optional API key, errors in plain words.

const KEY_STORAGE = "docproc.apiKey";

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

export function setApiKey(value) {
  if (value) localStorage.setItem(KEY_STORAGE, value);
  else localStorage.removeItem(KEY_STORAGE);
}

function headers() {
  const key = apiKey();
  return key ? { "X-API-Key": key } : {};
}

/** An error from the API (or the network) with its `error_type` and plain-words advice. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.error || body.message)) || `The server answered ${status}.`);
    this.status = status;
    this.errorType = (body && body.error_type) || (status === 0 ? "network" : "http_" + status);
    this.body = body || {};
  }
}

async function parse(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { error: text.slice(0, 300) };
  }
}

/** The body FastAPI puts errors in: ours are `{error, error_type}`, some wrap it in `detail`. */
function errorBody(body) {
  if (body && typeof body.detail === "object" && !Array.isArray(body.detail)) return body.detail;
  if (body && Array.isArray(body.detail)) {
    return { error: body.detail.map((d) => d.msg).join("; "), error_type: "invalid_input" };
  }
  return body;
}

export async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  } catch {
    throw new ApiError(0, { error: "The server could not be reached." });
  }
  const body = await parse(response);
  if (!response.ok) throw new ApiError(response.status, errorBody(body));
  return body;
}

/** POST /process with XMLHttpRequest, so a large upload can report how far it has got. */
export function submit(file, documentType, password, onUpload = () => {}) {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("document_type", documentType);
  if (password) form.append("password", password);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/process");
    for (const [name, value] of Object.entries(headers())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onUpload(Math.round((100 * event.loaded) / event.total));
    };
    xhr.onload = () => {
      let body;
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = { error: xhr.responseText.slice(0, 300) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, errorBody(body)));
    };
    xhr.onerror = () => reject(new ApiError(0, { error: "The server could not be reached." }));
    xhr.send(form);
  });
}

export const jobStatus = (id) => request(`/job/${encodeURIComponent(id)}/status`);
export const cancel = (id) => request(`/job/${encodeURIComponent(id)}`, { method: "DELETE" });
export const jobResult = (id) => request(`/job/${encodeURIComponent(id)}/result`);
export const recentJobs = (limit, offset) => request(`/jobs?limit=${limit}&offset=${offset}`);
export const eventsUrl = (id) => `/job/${encodeURIComponent(id)}/events`;
export const needsHeaders = () => Boolean(apiKey());

/** Fetch a file (export or report) and hand it to the browser as a download. */
export async function download(url, fallbackName) {
  let response;
  try {
    response = await fetch(url, { headers: headers() });
  } catch {
    throw new ApiError(0, { error: "The server could not be reached." });
  }
  if (!response.ok) throw new ApiError(response.status, errorBody(await parse(response)));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = attachmentName(response.headers.get("Content-Disposition") || "") || fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/** The file name of a Content-Disposition header: the UTF-8 `filename*` form first. */
function attachmentName(header) {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : "";
}

// What went wrong, in plain words, and what the person can do about it.
const ADVICE = {
  missing_file: "Choose a file first.",
  empty_file: "The file is empty. Check that it was saved or downloaded completely, then upload it again.",
  unsupported_file_type: "This file is not a PDF or an image docproc can read. Upload the statement as a PDF, or a PNG, JPEG or TIFF scan.",
  file_too_large: "The file is larger than the upload limit. Upload fewer pages at a time, or ask the administrator to raise DOCPROC_MAX_UPLOAD_BYTES.",
  unknown_document_type: "Pick one of the document types in the list and upload again.",
  password_required: "This PDF is locked. Enter its password and retry.",
  wrong_password: "That password did not open the PDF. Check it and retry.",
  too_many_pages: "The document has more pages than allowed. Split it into smaller files and upload them together.",
  image_too_large: "The image is too large to read. Scan at 300 dpi or lower and try again.",
  malformed_document: "The file is damaged or incomplete. Download or export it again and retry.",
  extraction_error: "No transaction table could be found. If this is not a bank statement, choose “Other document”.",
  ocr_unavailable: "This is a scanned document and the server cannot read scans right now (OCR is not installed). Upload a PDF with a text layer, or ask the administrator.",
  timeout: "Reading the document took too long. Try a shorter document or a cleaner scan.",
  worker_lost: "The worker stopped while reading this document. Try again; if it happens again the document may be the cause.",
  upload_missing: "The upload expired before it could be read. Upload the file again.",
  storage_unavailable: "The server cannot store uploads right now. Try again in a minute.",
  transient_error: "A temporary problem on the server. Try again in a minute.",
  rate_limited: "Too many requests in a short time. Wait a minute, then retry.",
  unauthorized: "The server needs an API key. Open “API key” above, enter it, and retry.",
  job_not_found: "This job no longer exists (results are kept for a limited time). Upload the file again.",
  network: "Check that the docproc server is running, then retry.",
};

export function adviceFor(errorType) {
  return ADVICE[errorType] || "Something went wrong on the server. Try again; if it keeps failing, the administrator can look in the logs.";
}

export const needsPassword = (errorType) => errorType === "password_required" || errorType === "wrong_password";
