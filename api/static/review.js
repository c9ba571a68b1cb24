// The review page: one unsure pair at a time, the two entities side by side with their sources.
// y records "same", n "different" (both need the API key), s skips to the next pair.
"use strict";

const state = { pairs: [], index: 0 };
const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text; // text only: document words are never HTML
  if (className) node.className = className;
  return node;
}

function showEntity(box, entity) {
  box.replaceChildren();
  if (!entity) {
    box.append(element("p", "(không còn trong kho)"));
    return;
  }
  box.append(element("p", entity.kind, "kind"), element("h2", entity.name), element("p", entity.id, "detail"));
  if (entity.aliases.length) box.append(element("p", "Tên khác: " + entity.aliases.join("; ")));
  const facts = element("dl");
  for (const [key, value] of Object.entries(entity.properties)) {
    if (key === "mentions") continue;
    facts.append(element("dt", key), element("dd", Array.isArray(value) ? value.join(", ") : String(value)));
  }
  box.append(facts, element("h3", "Nguồn"));
  const sources = element("ul");
  for (const source of entity.sources) {
    const item = element("li");
    item.append(element("span", source.document, "document"), document.createTextNode(": " + source.quote));
    sources.append(item);
  }
  box.append(sources);
}

function show() {
  const pair = state.pairs[state.index];
  $("pair").hidden = !pair;
  if (!pair) {
    $("status").textContent = state.pairs.length ? "Đã xem hết các cặp." : "Không có cặp nào cần duyệt.";
    return;
  }
  const j = pair.judgement;
  $("status").textContent = "";
  $("pair-meta").textContent = `${j.kind} ${state.index + 1}/${state.pairs.length} — điểm ${j.score.toFixed(2)} — ${j.evidence.join("; ")}`;
  showEntity($("left"), pair.left);
  showEntity($("right"), pair.right);
}

async function load() {
  const response = await fetch("/review/pairs");
  state.pairs = response.ok ? await response.json() : [];
  state.index = 0;
  show();
}

async function send(method, url, body) {
  const headers = { "X-API-Key": $("api-key").value };
  if (body) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const payload = await response.json();
  if (!response.ok) {
    $("status").textContent = payload.detail || payload.title || "Lỗi";
    return null;
  }
  return payload;
}

async function decide(judgement) {
  const pair = state.pairs[state.index];
  if (!pair) return;
  const made = await send("POST", "/review/judgements",
                          { left: pair.judgement.left, right: pair.judgement.right, judgement });
  if (!made) return;
  $("undo-id").textContent = made.id;
  $("undo-box").hidden = false;
  await load();
}

function skip() {
  if (state.index < state.pairs.length) state.index += 1;
  show();
}

async function undo() {
  const taken = await send("DELETE", "/review/judgements/" + encodeURIComponent($("undo-id").textContent));
  if (!taken) return;
  $("undo-box").hidden = true;
  await load();
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = sessionStorage.getItem("lienket-api-key") || "";
  $("api-key").addEventListener("change", () => sessionStorage.setItem("lienket-api-key", $("api-key").value));
  $("same").addEventListener("click", () => decide("same"));
  $("different").addEventListener("click", () => decide("different"));
  $("skip").addEventListener("click", skip);
  $("undo").addEventListener("click", undo);
  document.addEventListener("keydown", (event) => {
    if (event.target === $("api-key")) return;
    if (event.key === "y") decide("same");
    else if (event.key === "n") decide("different");
    else if (event.key === "s") skip();
  });
  load();
});
