// Draws a Liên Kết picture with vis.js: the standalone pages and the web page both use it.
// Tooltips travel as data ("tip": heading, kind, facts, sources) and become elements, made
// of text nodes only, when first hovered: no document text is ever read as HTML. A map draws province
// borders under the nodes, a line from each moved place to its real spot, and moves labels
// apart until no two overlap. A big picture opens grouped; a click on a group opens it.
"use strict";
(function (global) {
  const LABEL_PX = 14;  // a map's labels, in screen pixels at the first fit
  const LABEL_GAP = 8;  // screen pixels kept between two places (dot and label)
  const MAX_ROUNDS = 400;

  function line(box, tag, text) {
    const part = document.createElement(tag);
    part.textContent = text;
    box.append(part);
    return part;
  }

  function tooltipElement(tip, heading, words) {
    const box = document.createElement("div");
    line(box, "b", heading);
    line(box, "div", words.kind + ": " + tip.k);
    for (const [label, text] of tip.f || []) { line(box, "div", label + ": " + text); }
    if (tip.a) { line(box, "div", words.also_known_as + ": " + tip.a); }
    if (tip.s) {
      line(box, "u", words.sources + ":");
      for (const [document, quote] of tip.s) {
        const source = line(box, "div", "");
        line(source, "i", document);
        source.append(": «" + quote + "»");
      }
    }
    return box;
  }

  // vis.js shows an element as a tooltip; each is made when its node or edge is first hovered.
  function lazyTooltips(network, nodes, edges, words) {
    const name = (id) => { const node = nodes.get(id); return node && node.tip ? node.tip.h : String(id); };
    network.on("hoverNode", (params) => {
      const node = nodes.get(params.node);
      if (node && node.tip && !node.title) { nodes.update({id: node.id, title: tooltipElement(node.tip, node.tip.h, words)}); }
    });
    network.on("hoverEdge", (params) => {
      const edge = edges.get(params.edge);
      if (edge && edge.tip && !edge.title) {
        edges.update({id: edge.id, title: tooltipElement(edge.tip, name(edge.from) + " → " + name(edge.to), words)});
      }
    });
  }

  function drawBorders(ctx, borders, map, scale) {
    const k = map.pixels_per_degree;
    const provinces = borders.provinces;
    const after = map.period === "after";
    ctx.save();
    for (const line of borders.lines) {
      const inner = line.sides.length === 2;
      if (after && inner && provinces[line.sides[0]].successor === provinces[line.sides[1]].successor) { continue; }
      ctx.strokeStyle = inner ? "#b0bec5" : "#78909c";
      ctx.lineWidth = (inner ? 1 : 1.6) / scale;
      ctx.beginPath();
      line.points.forEach((p, i) => { if (i) { ctx.lineTo(p[0] * k, -p[1] * k); } else { ctx.moveTo(p[0] * k, -p[1] * k); } });
      ctx.stroke();
    }
    ctx.restore();
  }

  function drawLeaders(ctx, network, nodes, scale) {
    ctx.save();
    ctx.strokeStyle = "#607d8b";
    ctx.fillStyle = "#607d8b";
    ctx.lineWidth = 1 / scale;
    const positions = network.getPositions();
    nodes.forEach((node) => {
      if (!node.geo || !positions[node.id]) { return; }
      const at = positions[node.id];
      ctx.beginPath();
      ctx.moveTo(node.geo[0], node.geo[1]);
      ctx.lineTo(at.x, at.y);
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(node.geo[0], node.geo[1], 2.5 / scale, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.restore();
  }

  // The box of each place (its dot and its label), in canvas units; vis.js measures the
  // label when it draws it.
  function boxes(network, ids) {
    return ids.map((id) => {
      const node = network.body.nodes[id];
      const label = node.labelModule.size;
      const radius = node.options.size;
      return {id: id, left: Math.min(node.x - radius, label.left), right: Math.max(node.x + radius, label.left + label.width),
              top: Math.min(node.y - radius, label.top), bottom: Math.max(node.y + radius, label.top + label.height)};
    });
  }

  // Push overlapping boxes apart along the axis where they overlap least, until none overlap.
  function separate(items, gap) {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let moved = false;
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i], b = items[j];
          const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left) + gap;
          const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + gap;
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          const horizontal = ox < oy;
          const ca = horizontal ? a.left + a.right : a.top + a.bottom;
          const cb = horizontal ? b.left + b.right : b.top + b.bottom;
          const sign = ca < cb || (ca === cb && i < j) ? -1 : 1;
          const step = (horizontal ? ox : oy) / 2 + 0.01;
          shift(a, horizontal, sign * step);
          shift(b, horizontal, -sign * step);
        }
      }
      if (!moved) { return true; }
    }
    return false;
  }

  function shift(box, horizontal, by) {
    if (horizontal) { box.left += by; box.right += by; box.dx = (box.dx || 0) + by; }
    else { box.top += by; box.bottom += by; box.dy = (box.dy || 0) + by; }
  }

  function readableMap(network, nodes, done) {
    network.fit();
    const size = LABEL_PX / network.getScale();
    nodes.update(nodes.getIds().map((id) => ({id: id, font: Object.assign({}, nodes.get(id).font, {size: size})})));
    network.once("afterDrawing", () => {
      const items = boxes(network, nodes.getIds());
      separate(items, LABEL_GAP / network.getScale());
      const positions = network.getPositions();
      const moved = items.filter((item) => item.dx || item.dy);
      for (const item of moved) {
        network.moveNode(item.id, positions[item.id].x + (item.dx || 0), positions[item.id].y + (item.dy || 0));
      }
      // A place moved off its spot keeps a line to it.
      nodes.update(moved.filter((item) => !nodes.get(item.id).geo)
        .map((item) => ({id: item.id, geo: [positions[item.id].x, positions[item.id].y]})));
      network.fit();
      done();
    });
    network.redraw();
  }

  // A big picture starts with one node per group (province or kind); a click on a group puts
  // its members back. Edges join what is shown: an edge to a member of a closed group is drawn
  // to the group, and the edges between two groups become one line, thicker.
  function Groups(data) {
    this.data = data;
    this.shownAs = new Map();  // node id -> the id drawn for it (itself, or its group)
    this.members = new Map();  // group id -> member nodes
    for (const node of data.nodes) {
      const id = "group:" + node.group_key;
      if (!this.members.has(id)) { this.members.set(id, []); }
      this.members.get(id).push(node);
    }
    for (const [id, members] of this.members) {
      for (const node of members) { this.shownAs.set(node.id, members.length > 1 ? id : node.id); }
    }
  }
  Groups.prototype.nodes = function (ids) {
    const shown = [];
    for (const [id, members] of this.members) {
      if (ids && !ids.has(id)) { continue; }
      if (members.length < 2 || this.shownAs.get(members[0].id) !== id) { shown.push(...(ids ? members : [])); continue; }
      const x = members.reduce((sum, n) => sum + n.x, 0) / members.length;
      const y = members.reduce((sum, n) => sum + n.y, 0) / members.length;
      const key = members[0].group_key;
      shown.push({id: id, label: key + " (" + members.length + ")", x: x, y: y, shape: "dot", color: "#b0bec5",
                  value: members.length, font: {size: 16}, tip: {h: key, k: String(members.length)}});
    }
    if (!ids) { for (const [, members] of this.members) { if (members.length < 2) { shown.push(members[0]); } } }
    return shown;
  };
  Groups.prototype.edges = function () {
    const joined = new Map();
    for (const edge of this.data.edges) {
      const from = this.shownAs.get(edge.from), to = this.shownAs.get(edge.to);
      if (from === to) { continue; }
      if (from === edge.from && to === edge.to) { joined.set(edge.from + "|" + edge.to + "|" + edge.relation, edge); continue; }
      const key = from < to ? from + "|" + to : to + "|" + from;  // one line per pair of groups
      const seen = joined.get(key);
      if (seen) { seen.width = Math.min(8, seen.width + 0.5); continue; }
      joined.set(key, {id: key, from: from, to: to, color: "#b0bec5", width: 1, arrows: {to: {enabled: false}}});
    }
    return Array.from(joined.values());
  };
  Groups.prototype.open = function (id, nodes, edges) {
    const members = this.members.get(id);
    if (!members) { return false; }
    for (const node of members) { this.shownAs.set(node.id, node.id); }
    nodes.remove(id);
    nodes.add(members);
    edges.clear();
    edges.add(this.edges());
    return true;
  };

  // Draw a picture into a container. Options: borders (the borders file, for maps),
  // onOpen(id) when a node is clicked, onExpand(id) when it is double-clicked.
  function drawPicture(container, data, settings) {
    settings = settings || {};
    global.lienketDrawn = false;
    const groups = data.grouped ? new Groups(data) : null;
    const nodes = new vis.DataSet(groups ? groups.nodes() : data.nodes);
    const edges = new vis.DataSet(groups ? groups.edges() : data.edges);
    const network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
    lazyTooltips(network, nodes, edges, data.words);
    if (data.map) {
      network.on("beforeDrawing", (ctx) => {
        const scale = network.getScale();
        if (settings.borders) { drawBorders(ctx, settings.borders, data.map, scale); }
        drawLeaders(ctx, network, nodes, scale);
      });
    }
    const isGroup = (id) => groups !== null && groups.members.has(id) && groups.members.get(id).length > 1;
    network.on("click", (params) => {
      const id = params.nodes[0];
      if (id === undefined) { return; }
      if (isGroup(id)) { groups.open(id, nodes, edges); }
      else if (settings.onOpen) { settings.onOpen(id); }
    });
    network.on("doubleClick", (params) => {
      const id = params.nodes[0];
      if (id !== undefined && !isGroup(id) && settings.onExpand) { settings.onExpand(id); }
    });
    // lienketDrawn: the first frame of the final picture is on screen (tests and benchmarks wait for it).
    const markDrawn = () => {
      network.once("afterDrawing", () => {
        global.lienketDrawnAt = performance.now();
        global.lienketDrawn = true;
      });
      network.redraw();
    };
    if (data.options.physics.enabled) {
      network.once("stabilizationIterationsDone", () => {
        // Settle once, then hold still: a picture that keeps moving cannot be read.
        network.setOptions({physics: {enabled: false}});
        network.fit();
        markDrawn();
      });
    } else if (data.map) {
      network.once("afterDrawing", () => readableMap(network, nodes, markDrawn));
    } else {
      network.fit();
      markDrawn();
    }
    global.network = network;
    return {network: network, nodes: nodes, edges: edges};
  }

  // Add nodes and edges (a neighbourhood fetched later) that the picture does not have yet.
  function addToPicture(drawn, data) {
    const fresh = data.nodes.filter((n) => !drawn.nodes.get(n.id));
    drawn.nodes.add(fresh);
    const known = new Set(drawn.edges.get().map((x) => x.from + "|" + x.to + "|" + x.relation));
    drawn.edges.add(data.edges.filter((e) => !known.has(e.from + "|" + e.to + "|" + e.relation)));
    return fresh.length;
  }

  global.LienKet = {drawPicture: drawPicture, addToPicture: addToPicture};
})(window);
