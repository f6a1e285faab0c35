(function () {
  "use strict";
  var d = document, tools = d.getElementById("tools");
  if (!tools) return;
  var boxes = Array.prototype.slice.call(d.querySelectorAll(".programme"));
  var search = d.createElement("input");
  search.type = "search";
  search.placeholder = tools.dataset.search;
  search.setAttribute("aria-label", tools.dataset.search);
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    boxes.forEach(function (b) {
      b.classList.toggle("dim", q !== "" && b.textContent.toLowerCase().indexOf(q) < 0);
    });
  });
  var nowButton = d.createElement("button");
  nowButton.type = "button";
  nowButton.textContent = tools.dataset.now;
  nowButton.addEventListener("click", function () {
    var now = Date.now(), on = null, next = null;
    boxes.forEach(function (b) {
      var s = Date.parse(b.dataset.start), e = b.dataset.stop ? Date.parse(b.dataset.stop) : s;
      if (!on && s <= now && now < e) on = b;
      if (s > now && (!next || s < Date.parse(next.dataset.start))) next = b;
    });
    var target = on || next;
    if (target) {
      target.scrollIntoView({ block: "center", inline: "center" });
      target.focus({ preventScroll: true });
    } else {
      nowButton.textContent = tools.dataset.notNow;
    }
  });
  tools.appendChild(search);
  tools.appendChild(nowButton);
  var now = Date.now();
  Array.prototype.forEach.call(d.querySelectorAll(".daygrid"), function (g) {
    var from = Date.parse(g.dataset.from), span = Number(g.style.getPropertyValue("--span"));
    var t = (now - from) / 1000;
    if (t >= 0 && t < span) {
      var line = d.createElement("div");
      line.className = "now";
      line.style.setProperty("--t", String(t));
      g.appendChild(line);
    }
  });
})();
