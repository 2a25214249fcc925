// unspin web page. Renders everything from the JSON API; user text only ever goes
// through textContent / text nodes (never parsed as HTML), so pasted markup is shown, not run.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { health: null, text: "", toUnit: null };

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Python offsets count code points; JS strings index UTF-16 units. Map one to the other.
function unitMapper(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const units = [0];
  let u = 0;
  for (const ch of text) { u += ch.length; units.push(u); }
  return (i) => units[Math.min(i, units.length - 1)];
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const resp = await fetch(path, init);
  let data = null;
  try { data = await resp.json(); } catch (_) { data = null; }
  if (!resp.ok) {
    const err = (data && data.error) || { code: "http_" + resp.status, message: resp.statusText };
    const e = new Error(err.message);
    e.code = err.code;
    e.status = resp.status;
    throw e;
  }
  return data;
}

// Append `text` to `parent` with the items' [start, end) ranges wrapped by make(item, slice).
function renderMarked(parent, text, items, make) {
  parent.replaceChildren();
  const toUnit = unitMapper(text);
  const sorted = [...items].sort((a, b) => a.start - b.start || a.end - b.end);
  let pos = 0;
  for (const item of sorted) {
    const s = toUnit(item.start), e = toUnit(item.end);
    if (s < pos || e > text.length || e < s) continue; // overlapping or out of range
    parent.append(document.createTextNode(text.slice(pos, s)));
    parent.append(make(item, text.slice(s, e)));
    pos = e;
  }
  parent.append(document.createTextNode(text.slice(pos)));
}

function showDetail(span) {
  $("d-text").textContent = span.text;
  $("d-original").textContent = span.original || "—";
  $("d-evidence").textContent = span.evidence || "—";
  $("d-score").textContent = span.score === null || span.score === undefined ? "—" : String(span.score);
  $("detail").hidden = false;
}

function spanMark(span, slice) {
  const mark = el("mark", span.original ? "sub has-original" : "sub", slice);
  mark.tabIndex = 0;
  mark.dataset.text = span.text;
  if (span.original) mark.dataset.original = span.original;
  const tip = span.original ? "suggested original: " + span.original : "suspected substitution";
  mark.title = span.evidence ? tip + " (" + span.evidence + ")" : tip;
  mark.addEventListener("click", () => showDetail(span));
  mark.addEventListener("keydown", (ev) => { if (ev.key === "Enter") showDetail(span); });
  if (span.original) {
    const orig = el("span", "orig", span.original);
    orig.setAttribute("aria-label", "suggested original");
    mark.append(orig);
  }
  return mark;
}

function renderCheck(result) {
  $("summary").hidden = false;
  const label = $("label");
  label.textContent = result.label.replace("_", " ");
  label.className = "badge " + result.label;
  const p = result.spin_probability;
  $("prob").textContent = p === null ? "—" : p.toFixed(2);
  $("meter-fill").style.width = p === null ? "0" : Math.round(p * 100) + "%";
  const meta = [result.n_words + " words", result.spans.length + " suspected substitutions"];
  if (result.scorer) meta.push("scorer " + result.scorer);
  if (result.reason) meta.unshift("not scored: " + result.reason);
  $("meta").textContent = meta.join(" · ");
  const warnings = $("warnings");
  warnings.replaceChildren(...result.warnings.map((w) => el("li", null, w)));
  $("texts").hidden = false;
  renderMarked($("marked"), state.text, result.spans, spanMark);
  $("marked").dataset.ready = "1";
}

function renderRestore(result) {
  const box = $("restored");
  // Rebuild the restored text from the input and the changes, so that changes can be marked.
  const toUnit = unitMapper(state.text);
  const changes = [...result.changes].sort((a, b) => a.start - b.start);
  let rebuilt = "", pos = 0, ok = true;
  for (const c of changes) {
    const s = toUnit(c.start), e = toUnit(c.end);
    if (s < pos) { ok = false; break; }
    rebuilt += state.text.slice(pos, s) + c.original;
    pos = e;
  }
  rebuilt += state.text.slice(pos);
  box.replaceChildren();
  if (!ok || rebuilt !== result.restored) {
    box.textContent = result.restored;
    $("restored-note").textContent = "— " + changes.length + " changes";
    return;
  }
  pos = 0;
  for (const c of changes) {
    const s = toUnit(c.start), e = toUnit(c.end);
    box.append(document.createTextNode(state.text.slice(pos, s)));
    const ins = el("ins", "change", c.original);
    ins.title = "was: " + c.text + " (confidence " + c.confidence + ")";
    ins.tabIndex = 0;
    box.append(ins);
    pos = e;
  }
  box.append(document.createTextNode(state.text.slice(pos)));
  $("restored-note").textContent = "— " + changes.length + " changes marked";
}

function excerpt(text, start, end, toUnit, limit) {
  const slice = text.slice(toUnit(start), toUnit(end));
  return slice.length > limit ? slice.slice(0, limit) + " …" : slice;
}

// Word-level LCS of two passages: the words each side does not share are marked.
function diffWords(a, b) {
  const wa = a.split(/(\s+)/), wb = b.split(/(\s+)/);
  const ia = wa.map((w, i) => i).filter((i) => wa[i].trim());
  const ib = wb.map((w, i) => i).filter((i) => wb[i].trim());
  const n = ia.length, m = ib.length;
  const keepA = new Set(), keepB = new Set();
  if (n * m <= 400000) {
    const dp = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        dp[i][j] = wa[ia[i]] === wb[ib[j]] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (wa[ia[i]] === wb[ib[j]]) { keepA.add(ia[i++]); keepB.add(ib[j++]); }
      else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
      else j++;
    }
  } else {
    ia.forEach((i) => keepA.add(i));
    ib.forEach((i) => keepB.add(i));
  }
  return [[wa, keepA], [wb, keepB]];
}

function renderDiffSide(box, words, keep) {
  words.forEach((w, i) => {
    if (!w.trim() || keep.has(i)) box.append(document.createTextNode(w));
    else box.append(el("span", "diff", w));
  });
}

async function renderTrace(result) {
  const list = $("matches");
  list.replaceChildren();
  if (result.reason) list.append(el("p", "meta", "not traced: " + result.reason));
  if (!result.matches.length) list.append(el("p", "meta", "No source found in the index."));
  const copyUnit = unitMapper(state.text);
  for (const m of result.matches) {
    const item = el("div", "match");
    const head = el("div", "match-head");
    head.append(el("span", "badge " + m.relation, m.relation));
    head.append(el("strong", "source-id", m.source_id));
    const facts = ["confidence " + m.confidence.toFixed(2), "score " + m.score.toFixed(2),
      Math.round(m.derived_fraction * 100) + "% of the text aligned"];
    if (m.rewrite_type) facts.push(m.rewrite_type);
    head.append(el("span", "meta", facts.join(" · ")));
    item.append(head);
    let source = null;
    if (m.passages.length) {
      try { source = (await api("/v1/sources/" + encodeURIComponent(m.source_id))).text; }
      catch (_) { source = null; }
    }
    const srcUnit = source ? unitMapper(source) : null;
    if (m.passages.length) {
      const cols = el("div", "passage passage-head");
      cols.append(el("div", null, "this text"), el("div", null, "source: " + m.source_id));
      item.append(cols);
    }
    for (const p of m.passages.slice(0, 5)) {
      const row = el("div", "passage");
      const copyBox = el("div", "copy"), srcBox = el("div", "source");
      const copyText = excerpt(state.text, p.start, p.end, copyUnit, 2000);
      if (source) {
        const srcText = excerpt(source, p.source_start, p.source_end, srcUnit, 2000);
        const [[wa, ka], [wb, kb]] = diffWords(copyText, srcText);
        renderDiffSide(copyBox, wa, ka);
        renderDiffSide(srcBox, wb, kb);
      } else {
        copyBox.textContent = copyText;
        srcBox.textContent = "source characters " + p.source_start + "–" + p.source_end;
      }
      row.append(copyBox, srcBox);
      item.append(row);
    }
    if (m.passages.length > 5) item.append(el("p", "meta", (m.passages.length - 5) + " more passages"));
    list.append(item);
  }
}

async function run() {
  const text = $("text").value;
  showError("");
  if (!text.trim()) { showError("Paste some text first."); return; }
  state.text = text;
  $("detail").hidden = true;
  $("busy").hidden = false;
  $("check").disabled = true;
  $("marked").dataset.ready = "";
  const body = { documents: [{ id: "pasted", text }] };
  try {
    const check = await api("/v1/check", body);
    renderCheck(check.results[0]);
    $("summary").scrollIntoView({ block: "start" });
    $("restored").replaceChildren();
    const stages = (state.health && state.health.stages) || {};
    let restored = false;
    if (stages.restore) {
      try {
        renderRestore((await api("/v1/restore", body)).results[0]);
        restored = true;
      } catch (e) {
        if (e.status !== 501) throw e;
      }
    }
    $("restored-card").hidden = !restored;
    $("texts").classList.toggle("two", restored);
    if (stages.trace) {
      $("trace").hidden = false;
      $("trace-note").textContent = "— index of " + state.health.index.documents + " documents";
      await renderTrace((await api("/v1/trace", body)).results[0]);
    }
  } catch (e) {
    showError("Error: " + e.message + (e.code ? " (" + e.code + ")" : ""));
  } finally {
    $("busy").hidden = true;
    $("check").disabled = false;
  }
}

async function loadFile(file) {
  if (!file) return;
  const limit = state.health ? state.health.limits.max_text_bytes : 1e6;
  if (file.size > limit) { showError(file.name + " is larger than the " + limit / 1e6 + " MB limit."); return; }
  $("text").value = await file.text();
  showError("");
}

async function init() {
  $("check").addEventListener("click", run);
  $("clear").addEventListener("click", () => {
    $("text").value = "";
    for (const id of ["summary", "texts", "trace", "detail"]) $(id).hidden = true;
    showError("");
  });
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
  $("file").addEventListener("change", (ev) => loadFile(ev.target.files[0]));
  $("text").addEventListener("keydown", (ev) => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) run(); });
  const zone = $("input-card");
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("drop"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("drop"));
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("drop");
    loadFile(ev.dataTransfer.files[0]);
  });
  try {
    state.health = await api("/v1/health");
    const h = state.health;
    $("status").textContent = "v" + h.version + (h.index.loaded
      ? " · index: " + h.index.documents + " documents" : " · no index loaded");
  } catch (e) {
    $("status").textContent = "server unreachable";
  }
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", init);
