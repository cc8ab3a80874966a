/* sitegen serve: live reload (injected by the dev server only, never in `sitegen build` output). */
(function () {
  "use strict";
  var me = document.currentScript;
  var page = me.getAttribute("data-page");
  var epoch = parseInt(me.getAttribute("data-epoch"), 10);
  var boot = me.getAttribute("data-boot");
  var scrollKey = "sitegen-scroll:" + location.pathname;
  var OVERLAY = "__sitegen-overlay";

  function restoreScroll() {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved === null) return;
    var y = parseFloat(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () {
      window.scrollTo(0, y);
      sessionStorage.removeItem(scrollKey);
    });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function sitePath(url) {
    try { return decodeURIComponent(new URL(url, location.href).pathname).replace(/^\//, ""); }
    catch (e) { return ""; }
  }

  function swapStylesheets(changed, newEpoch) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      if (changed.indexOf(sitePath(link.href)) < 0) return;
      var fresh = link.cloneNode();
      var url = new URL(link.href, location.href);
      url.searchParams.set("sitegen", String(newEpoch));
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function el(tag, css, text) {
    var node = document.createElement(tag);
    node.style.cssText = css;
    if (text) node.textContent = text;
    return node;
  }

  function showOverlay(f) {
    hideOverlay();
    var back = el("div", "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.82);" +
      "overflow:auto;font:15px/1.5 system-ui,sans-serif;color:#eee;padding:5vh 5vw");
    back.id = OVERLAY;
    back.setAttribute("role", "alert");
    var box = el("div", "max-width:60rem;margin:auto;background:#2b1416;border-left:6px solid #e5484d;" +
      "padding:1.2rem 1.5rem;border-radius:6px");
    box.appendChild(el("h2", "margin:0 0 .5rem;font-size:1.2rem;color:#ff8b8b", "sitegen: " + f.title));
    if (f.location) box.appendChild(el("div", "font-family:monospace;color:#ffd0a0", f.location));
    box.appendChild(el("pre", "white-space:pre-wrap;font:14px/1.45 monospace;margin:.6rem 0", f.message));
    if (f.hint) box.appendChild(el("p", "margin:.4rem 0;color:#b8f0b8", "How to fix: " + f.hint));
    box.appendChild(el("p", "margin:.8rem 0 0;color:#aaa;font-size:13px",
      "Still serving the last good build. Save a fix and this goes away. (Click to hide.)"));
    back.appendChild(box);
    back.addEventListener("click", hideOverlay);
    document.body.appendChild(back);
  }

  function hideOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function onBuild(data) {
    hideOverlay();
    if (data.epoch <= epoch && !data.reload_all) return;
    epoch = data.epoch;
    var changed = data.changed || [];
    var needsReload = data.reload_all || changed.indexOf(page) >= 0 ||
      changed.some(function (p) { return !/\.(html?|css)$/i.test(p); });
    if (needsReload) return reload();
    var css = changed.filter(function (p) { return /\.css$/i.test(p); });
    if (css.length) swapStylesheets(css, data.epoch);
  }

  function onState(data) {
    if (data.boot !== boot) return reload();         // the server restarted: start afresh
    if (data.failure) showOverlay(data.failure); else hideOverlay();
  }

  restoreScroll();
  if (!window.EventSource) return;
  var source = new EventSource("/__sitegen/events?epoch=" + epoch + "&page=" + encodeURIComponent(page));
  source.addEventListener("build", function (e) { onBuild(JSON.parse(e.data)); });
  source.addEventListener("failure", function (e) { showOverlay(JSON.parse(e.data)); });
  source.addEventListener("state", function (e) { onState(JSON.parse(e.data)); });
})();
