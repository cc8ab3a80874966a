// Optional extras; every page reads well without this script.
// - Remembers the reading settings (templates/_settings.html) across pages and visits.
// - Resume: the last chapter read and where, per work; "Continue reading" on the work page;
//   chapters read to the end are marked.
// - The left and right arrow keys go to the previous and next chapter.
(function () {
  var store;
  try { store = window.localStorage; store.getItem("sitegen:probe"); } catch (e) { store = null; }
  function get(key) { try { return store ? JSON.parse(store.getItem("sitegen:" + key)) : null; } catch (e) { return null; } }
  function put(key, value) { try { if (store) store.setItem("sitegen:" + key, JSON.stringify(value)); } catch (e) { /* full or blocked */ } }

  // ---- settings: radios (one value per group) and checkboxes, restored then saved on change
  var settings = get("settings") || {};
  document.querySelectorAll(".settings input").forEach(function (input) {
    var key = input.type === "radio" ? input.name : input.id;
    if (key in settings) {
      input.checked = input.type === "radio" ? settings[key] === input.value : !!settings[key];
    }
    input.addEventListener("change", function () {
      settings = get("settings") || {};
      settings[key] = input.type === "radio" ? input.value : input.checked;
      put("settings", settings);
    });
  });

  var body = document.body, work = body.getAttribute("data-work");
  if (!work) return;
  var chapter = body.getAttribute("data-chapter");
  var read = get("read:" + work) || [];

  function markRead() {
    document.querySelectorAll("[data-chapter]").forEach(function (li) {
      if (li !== body && read.indexOf(li.getAttribute("data-chapter")) >= 0) li.classList.add("read");
    });
  }
  markRead();

  // ---- the work page: offer the chapter the reader was in
  var cont = document.getElementById("continue-reading");
  var last = get("last:" + work);
  if (cont && last && last.chapter) {
    cont.href = last.chapter + "#resume";
    cont.textContent = cont.textContent.trim() + ": " + last.title;   // the page's words, in its language
    cont.hidden = false;
  }
  if (!chapter) return;

  // ---- a chapter page: remember it and where the reader is; back to that place on #resume
  var title = body.getAttribute("data-chapter-title") || chapter;
  function where() {
    var height = document.documentElement.scrollHeight - window.innerHeight;
    return height > 0 ? window.scrollY / height : 0;
  }
  function save() {
    put("last:" + work, { chapter: chapter, title: title, at: where() });
    if (where() > 0.9 || document.documentElement.scrollHeight <= window.innerHeight * 1.1) {
      if (read.indexOf(chapter) < 0) { read.push(chapter); put("read:" + work, read); markRead(); }
    }
  }
  if (location.hash === "#resume" && last && last.chapter === chapter) {
    var height = document.documentElement.scrollHeight - window.innerHeight;
    window.scrollTo(0, Math.round(last.at * height));
  }
  save();
  var pending = null;
  window.addEventListener("scroll", function () {
    if (pending === null) pending = setTimeout(function () { pending = null; save(); }, 250);
  }, { passive: true });

  // ---- arrow keys: previous and next chapter (not while typing, not with a modifier key)
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
    var link = rel && document.querySelector('.chapter-nav a[rel="' + rel + '"]');
    if (link) { e.preventDefault(); location.href = link.href; }
  });
})();
