// The search page: search as a person types, show an entity's card and its picture.
// Document text is inserted with textContent only, never as HTML.
"use strict";

const SEARCH_DELAY_MS = 200;
let searchTimer = null;
let lastQuery = "";

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) { node.textContent = text; }
  if (className) { node.className = className; }
  return node;
}

function entityButton(id, name) {
  const button = el("button", name, "entity");
  button.type = "button";
  button.dataset.id = id;
  button.addEventListener("click", () => { location.hash = "id=" + encodeURIComponent(id); });
  return button;
}

async function getJson(url) {
  const response = await fetch(url, {headers: {"Accept": "application/json"}});
  if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
  return response.json();
}

function setStatus(text) { document.getElementById("status").textContent = text; }

async function search(query) {
  const results = document.getElementById("results");
  if (!query.trim()) { results.replaceChildren(); setStatus(""); return; }
  let groups;
  try {
    groups = await getJson("/ui/search?q=" + encodeURIComponent(query));
  } catch (error) {
    setStatus("Không tìm được: " + error.message);
    return;
  }
  if (query !== lastQuery) { return; }  // a newer query is on its way
  results.replaceChildren();
  setStatus(groups.length ? "" : "Không có kết quả.");
  for (const group of groups) {
    const section = el("section", null, "group");
    section.dataset.kind = group.kind;
    section.append(el("h2", group.label + " (" + group.hits.length + ")"));
    const list = el("ul");
    for (const hit of group.hits) {
      const item = el("li");
      item.append(entityButton(hit.id, hit.name));
      list.append(item);
    }
    section.append(list);
    results.append(section);
  }
}

function fillFacts(card) {
  const facts = document.getElementById("card-facts");
  facts.replaceChildren();
  for (const fact of card.facts) {
    facts.append(el("dt", fact.label), el("dd", fact.value));
  }
}

function fillSections(card) {
  const box = document.getElementById("card-sections");
  box.replaceChildren();
  for (const section of card.sections) {
    const part = el("section", null, "links");
    part.append(el("h3", section.title));
    const list = el("ul");
    for (const row of section.rows) {
      const item = el("li");
      item.append(entityButton(row.id, row.name));
      if (row.detail) { item.append(el("span", row.detail, "detail")); }
      list.append(item);
    }
    part.append(list);
    box.append(part);
  }
}

function fillSources(card) {
  const list = document.getElementById("card-sources");
  list.replaceChildren();
  for (const source of card.sources) {
    const item = el("li");
    item.append(el("span", source.document, "document"), el("span", ": «" + source.quote + "»"));
    list.append(item);
  }
}

function showPicture(id) {
  const depth = document.getElementById("depth").value;
  const url = "/viz/neighbourhood/" + encodeURIComponent(id) + "?depth=" + depth;
  document.getElementById("picture-frame").src = url;
  document.getElementById("picture-link").href = url;
}

async function showCard(id) {
  let card;
  try {
    card = await getJson("/ui/entity/" + encodeURIComponent(id));
  } catch (error) {
    setStatus("Không mở được: " + error.message);
    return;
  }
  document.getElementById("card-kind").textContent = card.kind_label;
  document.getElementById("card-name").textContent = card.name;
  document.getElementById("card-aliases").textContent = card.aliases.length ? "Tên khác: " + card.aliases.join(", ") : "";
  fillFacts(card);
  fillSections(card);
  fillSources(card);
  const article = document.getElementById("card");
  article.dataset.id = card.id;
  article.hidden = false;
  showPicture(card.id);
  article.scrollIntoView({block: "start"});
}

function idFromHash() {
  const match = /^#id=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("q");
  input.addEventListener("input", () => {
    clearTimeout(searchTimer);
    lastQuery = input.value;
    searchTimer = setTimeout(() => search(input.value), SEARCH_DELAY_MS);
  });
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    lastQuery = input.value;
    search(input.value);
  });
  document.getElementById("depth").addEventListener("change", () => {
    const id = document.getElementById("card").dataset.id;
    if (id) { showPicture(id); }
  });
  window.addEventListener("hashchange", () => { const id = idFromHash(); if (id) { showCard(id); } });
  const first = idFromHash();
  if (first) { showCard(first); }
});
