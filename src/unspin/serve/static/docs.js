// Offline API reference: lists the operations of /openapi.json (textContent only).
"use strict";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function refName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  return schema.type || "";
}

async function init() {
  const [spec, health] = await Promise.all([
    fetch("/openapi.json").then((r) => r.json()),
    fetch("/v1/health").then((r) => r.json()),
  ]);
  const limits = document.getElementById("limits");
  const l = health.limits;
  for (const line of [
    "request body ≤ " + l.max_body_bytes.toLocaleString() + " bytes, else 413 body_too_large",
    "text of one document ≤ " + l.max_text_bytes.toLocaleString() +
      " bytes (UTF-8), else that item comes back with reason \"document too large …\" (not scored)",
    "documents per request ≤ " + l.max_documents + ", else 422 too_many_documents",
    "time per request ≤ " + l.timeout_s + " s, else 504 timeout",
    "invalid JSON: 400 malformed_json; wrong shape: 422 invalid_request; other content types: 415",
  ]) limits.append(el("li", null, line));
  const ops = document.getElementById("ops");
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const card = el("section", "card");
      const h = el("h2");
      h.append(el("code", null, method.toUpperCase() + " " + path));
      card.append(h);
      card.append(el("p", null, op.description || op.summary || ""));
      const body = op.requestBody && op.requestBody.content["application/json"];
      if (body) card.append(el("p", "meta", "body: " + refName(body.schema)));
      const codes = Object.entries(op.responses || {}).map(([code, r]) => {
        const c = r.content && r.content["application/json"];
        return code + " " + (c ? refName(c.schema) : "") + (r.description ? " — " + r.description : "");
      });
      card.append(el("p", "meta", "responses: " + codes.join("; ")));
      ops.append(card);
    }
  }
  const schemas = el("section", "card");
  schemas.append(el("h2", null, "Schemas"));
  schemas.append(el("pre", "doc", JSON.stringify(spec.components.schemas, null, 2)));
  ops.append(schemas);
}

document.addEventListener("DOMContentLoaded", init);
