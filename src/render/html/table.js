"use strict";
// The people table: sort by any column (buttons in the headings), filter by name, team and
// category, and show it a page at a time. Without this script the whole table is shown.
(function () {
  var table = document.getElementById("people-table");
  var controls = document.getElementById("controls");
  if (!table || !controls) {
    return;
  }
  var PAGE = 50;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = table.tHead.rows[0].cells;
  var name = document.getElementById("f-name");
  var team = document.getElementById("f-team");
  var cat = document.getElementById("f-cat");
  var count = document.getElementById("count");
  var pager = document.getElementById("pager");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var label = document.getElementById("page");
  var page = 0;
  var sortCol = 0;
  var dir = 1;

  function numeric(col) {
    return heads[col].classList.contains("num");
  }
  function value(row, col) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-v");
    if (v === null && numeric(col)) {
      v = cell.textContent;
    }
    return v === null ? cell.textContent.trim().toLowerCase() : parseFloat(v);
  }
  function apply() {
    var q = name.value.trim().toLowerCase();
    var t = team ? team.value : "";
    var c = cat.value;
    var shown = rows.filter(function (r) {
      if (q && r.cells[1].textContent.toLowerCase().indexOf(q) < 0 &&
          r.getAttribute("data-id").indexOf(q) < 0) {
        return false;
      }
      if (t && (" " + r.getAttribute("data-teams") + " ").indexOf(" " + t + " ") < 0) {
        return false;
      }
      return !c || value(r, +c) > 0;
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    var from = page * PAGE;
    rows.forEach(function (r) {
      r.hidden = true;
    });
    shown.forEach(function (r, i) {
      r.hidden = i < from || i >= from + PAGE;
    });
    count.textContent = shown.length === rows.length
      ? rows.length + (rows.length === 1 ? " person" : " people")
      : shown.length + " of " + rows.length + " people";
    pager.hidden = pages < 2;
    label.textContent = "Page " + (page + 1) + " of " + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  function sortBy(col) {
    if (col === sortCol) {
      dir = -dir;
    } else {
      sortCol = col;
      dir = numeric(col) && col !== 0 ? -1 : 1;
    }
    var keyed = rows.map(function (r, i) {
      return [value(r, col), i, r];
    });
    keyed.sort(function (a, b) {
      if (a[0] < b[0]) {
        return -dir;
      }
      if (a[0] > b[0]) {
        return dir;
      }
      return a[1] - b[1];
    });
    rows = keyed.map(function (k) {
      return k[2];
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      frag.appendChild(r);
    });
    body.appendChild(frag);
    Array.prototype.forEach.call(heads, function (th, i) {
      if (i === col) {
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    page = 0;
    apply();
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    var b = document.createElement("button");
    b.type = "button";
    while (th.firstChild) {
      b.appendChild(th.firstChild);
    }
    th.appendChild(b);
    b.addEventListener("click", function () {
      sortBy(col);
    });
  });
  heads[0].setAttribute("aria-sort", "ascending");
  [name, team, cat].forEach(function (el) {
    if (el) {
      el.addEventListener("input", function () {
        page = 0;
        apply();
      });
    }
  });
  prev.addEventListener("click", function () {
    page -= 1;
    apply();
  });
  next.addEventListener("click", function () {
    page += 1;
    apply();
  });
  controls.hidden = false;
  apply();
})();
