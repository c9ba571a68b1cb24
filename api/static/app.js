// The search page: search as a person types, an entity's card, a document (its text, or its quotes), and a
// picture to explore (click: card; double-click: neighbours; filters; exports).
// Document text is inserted with textContent only, never as HTML.
// The page's state (card, document, picture and filters) lives in the URL and in history,
// so Back and Forward bring card and picture back together.
"use strict";

const SEARCH_DELAY_MS = 200;
const ROWS_SHOWN = 8;  // a longer list shows this many rows and folds the rest
const FILTERS = ["kind", "sector", "year", "locality", "period", "level"];
let searchTimer = null;
let lastQuery = "";
let drawn = null;       // the picture on screen (LienKet.drawPicture's result)
let drawnKey = "";      // which picture it is
let shownCard = "";
let borders = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) { node.textContent = text; }
  if (className) { node.className = className; }
  return node;
}

async function getJson(url) {
  const response = await fetch(url, {headers: {"Accept": "application/json"}});
  if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
  return response.json();
}

function setStatus(text) { document.getElementById("status").textContent = text; }

// --- state and history ---------------------------------------------------------------

function currentState() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const [key, value] of params) { state[key] = value; }
  return state;
}

function go(changes) {
  const state = Object.assign(currentState(), changes);
  for (const key of Object.keys(state)) { if (state[key] === "" || state[key] === null) { delete state[key]; } }
  history.pushState(state, "", "?" + new URLSearchParams(state).toString());
  show(state);
}

function openEntity(id) { go({id: id, view: "neighbourhood", focus: id, doc: null, quote: null}); }

function openQuote(source) { go({doc: source.document, quote: source.quote}); }

async function show(state) {
  fillFilters(state);
  if (state.id && state.id !== shownCard) { await showCard(state.id); }
  if (!state.id) { document.getElementById("card").hidden = true; shownCard = ""; }
  if (state.doc) { await showDocument(state.doc, state.quote || ""); } else { document.getElementById("document").hidden = true; }
  await showPicture(state);
}

// --- search ----------------------------------------------------------------------------

function entityButton(id, name) {
  const button = el("button", name, "entity");
  button.type = "button";
  button.dataset.id = id;
  button.addEventListener("click", () => openEntity(id));
  return button;
}

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
    section.append(foldedList(group.hits.map((hit) => {
      const item = el("li");
      item.append(entityButton(hit.id, hit.name));
      return item;
    })));
    results.append(section);
  }
}

// Arrow keys move through the results (and back to the search box); Enter opens one.
function moveThroughResults(event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
  const buttons = Array.from(document.querySelectorAll("#results button.entity")).filter((b) => b.offsetParent);
  if (!buttons.length) { return; }
  event.preventDefault();
  const at = buttons.indexOf(document.activeElement);
  const next = at + (event.key === "ArrowDown" ? 1 : -1);
  if (next < 0) { document.getElementById("q").focus(); } else { buttons[Math.min(next, buttons.length - 1)].focus(); }
}

// --- card --------------------------------------------------------------------------------

function foldedList(items) {
  const list = el("ul");
  list.append(...items.slice(0, ROWS_SHOWN));
  if (items.length > ROWS_SHOWN) {
    const more = el("details", null, "more");
    more.append(el("summary", "Xem thêm " + (items.length - ROWS_SHOWN)));
    const rest = el("ul");
    rest.append(...items.slice(ROWS_SHOWN));
    more.append(rest);
    const item = el("li");
    item.append(more);
    list.append(item);
  }
  return list;
}

function quoteLink(source) {
  const link = el("a", "trích dẫn", "quote-link");
  link.href = "?" + new URLSearchParams({doc: source.document, quote: source.quote}).toString();
  link.title = source.document + ": " + source.quote;
  link.addEventListener("click", (event) => { event.preventDefault(); openQuote(source); });
  return link;
}

function timeline(rows) {
  const dated = rows.filter((row) => /^\d{4}/.test(row.date));
  const box = el("ol", null, "timeline");
  for (const row of dated) {
    const item = el("li");
    item.append(el("time", row.date), entityButton(row.id, row.name));
    box.append(item);
  }
  return box;
}

function fillSections(card) {
  const box = document.getElementById("card-sections");
  box.replaceChildren();
  for (const section of card.sections) {
    const part = el("section", null, "links");
    part.append(el("h3", section.title));
    if (section.timeline) { part.append(timeline(section.rows)); }
    part.append(foldedList(section.rows.map((row) => {
      const item = el("li");
      item.append(entityButton(row.id, row.name));
      if (row.detail) { item.append(el("span", row.detail, "detail")); }
      if (row.source) { item.append(" ", quoteLink(row.source)); }
      return item;
    })));
    box.append(part);
  }
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
  const facts = document.getElementById("card-facts");
  facts.replaceChildren();
  for (const fact of card.facts) { facts.append(el("dt", fact.label), el("dd", fact.value)); }
  fillSections(card);
  const sources = document.getElementById("card-sources");
  sources.replaceChildren(...foldedList(card.sources.map((source) => {
    const item = el("li");
    // where in the document: the page (PDF, scans) and the table row, when the reader knew them
    const where = [source.page ? "trang " + source.page : "", source.row ? "dòng " + source.row : ""]
      .filter(Boolean).join(", ");
    item.append(el("span", source.document, "document"),
                el("span", (where ? " (" + where + ")" : "") + ": «" + source.quote + "» "), quoteLink(source));
    return item;
  })).childNodes);
  const article = document.getElementById("card");
  article.dataset.id = card.id;
  article.hidden = false;
  shownCard = card.id;
}

// --- document view -------------------------------------------------------------------------

async function showDocument(name, quote) {
  let view;
  try {
    view = await getJson("/ui/document/" + encodeURIComponent(name));
  } catch (error) {
    setStatus("Không mở được văn bản: " + error.message);
    return;
  }
  document.getElementById("document-name").textContent = view.document;
  const chosenIndex = view.quotes.findIndex((entry) => entry.quote === quote);
  const textBox = document.getElementById("document-text");
  const list = document.getElementById("document-quotes");
  textBox.replaceChildren();
  list.replaceChildren();
  // The document's own text when the store keeps it; the list of its quotes otherwise.
  const chosen = view.text ? fillDocumentText(textBox, view.text, view.quotes[chosenIndex], chosenIndex)
    : fillDocumentQuotes(list, view.quotes, quote);
  textBox.hidden = !view.text;
  list.hidden = Boolean(view.text);
  const article = document.getElementById("document");
  article.hidden = false;
  (chosen || article).scrollIntoView({block: "center"});
}

function folded(text) { return text.split(/\s+/).filter(Boolean).join(" "); }

// Headings, paragraphs and tables with a marker where a page begins; the chosen quote marked
// (its first line in a paragraph, its whole row in a table). Returns the marked element.
function fillDocumentText(box, blocks, quote, index) {
  let chosen = null;
  let page = null;
  const pageMark = (at) => {
    if (at && at !== page) { box.append(el("p", "— trang " + at + " —", "page")); }
    if (at) { page = at; }
  };
  for (const block of blocks) {
    pageMark(block.page);
    if (block.kind === "table") {
      const table = el("table");
      for (const row of block.rows) {
        pageMark(row.page);
        const line = el("tr");
        line.append(...row.cells.map((cell) => el("td", cell)));
        if (!chosen && row.quotes.includes(index)) { line.className = "chosen"; chosen = line; }
        table.append(line);
      }
      box.append(table);
      continue;
    }
    const text = el(block.kind === "heading" ? "h3" : "p");
    const plain = folded(block.text);
    const firstLine = quote ? folded(quote.quote.split(" / ")[0]) : "";
    const at = !chosen && block.quotes.includes(index) ? plain.indexOf(firstLine) : -1;
    if (at >= 0) {
      chosen = el("mark", firstLine);
      text.append(plain.slice(0, at), chosen, plain.slice(at + firstLine.length));
    } else {
      text.textContent = plain;
    }
    box.append(text);
  }
  return chosen;
}

function fillDocumentQuotes(list, quotes, quote) {
  let chosen = null;
  for (const entry of quotes) {
    const item = el("li");
    const where = [entry.page ? "trang " + entry.page : "", entry.row ? "dòng " + entry.row : ""].filter(Boolean).join(", ");
    if (where) { item.append(el("span", where, "where")); }
    const text = el("blockquote");
    if (entry.quote === quote) {
      text.append(el("mark", entry.quote));
      item.className = "chosen";
      chosen = item;
    } else {
      text.textContent = entry.quote;
    }
    const facts = entry.facts.slice(0, ROWS_SHOWN).join(" · ");
    const more = entry.facts.length > ROWS_SHOWN ? " · … (+" + (entry.facts.length - ROWS_SHOWN) + ")" : "";
    item.append(text, el("p", facts + more, "detail"));
    list.append(item);
  }
  return chosen;
}

// --- picture ----------------------------------------------------------------------------------

function fillFilters(state) {
  for (const name of FILTERS) {
    const input = document.getElementById("f-" + name);
    input.value = state[name] || (input.tagName === "SELECT" ? input.options[0].value : "");
  }
  const query = filterQuery(state);
  for (const format of ["graphml", "gexf", "csv"]) {
    document.getElementById("export-" + format).href = "/export/" + format + (query ? "?" + query : "");
  }
}

function filterQuery(state) {
  const params = new URLSearchParams();
  for (const name of ["kind", "sector", "year", "locality"]) { if (state[name]) { params.set(name, state[name]); } }
  return params.toString();
}

function pictureUrl(state) {
  const view = state.view || (state.id ? "neighbourhood" : "map");
  if (view === "neighbourhood" && (state.focus || state.id)) {
    return "/viz/data/neighbourhood/" + encodeURIComponent(state.focus || state.id) + "?depth=1";
  }
  if (view === "graph") { return "/viz/data/graph?" + filterQuery(state); }
  const params = new URLSearchParams({period: state.period || "before", level: state.level || "district"});
  return "/viz/data/twinning?" + params.toString();
}

async function showPicture(state) {
  const url = pictureUrl(state);
  if (url === drawnKey) { return; }
  let data;
  try {
    data = await getJson(url);
  } catch (error) {
    setStatus("Không vẽ được: " + error.message);
    return;
  }
  if (data.map && !borders) { borders = await getJson("/static/vn_borders.json"); }
  if (drawn) { drawn.network.destroy(); }
  drawnKey = url;
  document.getElementById("picture-title").textContent = data.title;
  document.getElementById("picture-count").textContent = data.nodes.length + " nút · " + data.edges.length + " liên kết";
  document.getElementById("network").dataset.nodes = String(data.nodes.length);
  document.getElementById("network").dataset.view = url;
  fillLegend(data.legend);
  drawn = LienKet.drawPicture(document.getElementById("network"), data, {
    borders: borders,
    onOpen: (id) => go({id: id, doc: null, quote: null}),
    onExpand: addNeighbours,
  });
}

async function addNeighbours(id) {
  const data = await getJson("/viz/data/neighbourhood/" + encodeURIComponent(id) + "?depth=1");
  const added = LienKet.addToPicture(drawn, data);
  document.getElementById("picture-count").textContent = drawn.nodes.length + " nút · " + drawn.edges.length +
    " liên kết (+" + added + ")";
}

function fillLegend(legend) {
  const list = document.getElementById("legend");
  list.replaceChildren();
  for (const row of legend.nodes.concat(legend.links)) {
    const item = el("li");
    const swatch = el("span", null, row.shape ? "swatch " + row.shape : "line" + (row.dashes ? " dashed" : ""));
    swatch.style.setProperty(row.shape ? "background" : "border-color", row.color);
    item.append(swatch, el("span", row.label));
    list.append(item);
  }
}

function savePng() {
  const canvas = document.querySelector("#network canvas");
  const link = el("a");
  link.href = canvas.toDataURL("image/png");
  link.download = "lienket.png";
  document.body.append(link);
  link.click();
  link.remove();
}

function applyFilters(event) {
  event.preventDefault();
  const changes = {};
  for (const name of FILTERS) { changes[name] = document.getElementById("f-" + name).value.trim(); }
  const state = currentState();
  const onMap = (state.view || (state.id ? "neighbourhood" : "map")) === "map";
  const graphFilters = ["kind", "sector", "year", "locality"].some((name) => changes[name]);
  changes.view = onMap && !graphFilters ? "map" : "graph";
  go(changes);
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
  input.addEventListener("keydown", moveThroughResults);
  document.getElementById("results").addEventListener("keydown", moveThroughResults);
  document.getElementById("filters").addEventListener("submit", applyFilters);
  document.getElementById("show-map").addEventListener("click", () => go({view: "map"}));
  document.getElementById("show-graph").addEventListener("click", () => go({view: "graph"}));
  document.getElementById("export-png").addEventListener("click", savePng);
  window.addEventListener("popstate", (event) => show(event.state || currentState()));
  show(currentState());
});
