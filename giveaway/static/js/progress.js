// Progress of a background import, and of the verdicts' recomputation, without a framework.
//
// [data-percent]: a Bootstrap progress bar, sized here (the page's CSP allows no inline style).
// [data-watch="import"]: polls data-progress-url every 1.5 s; updates the bar, its text and
//   its aria-valuetext; reloads the page once the import ends, so the server shows the outcome.
// [data-watch="evaluation"]: polls every 2 s while the verdicts are being recomputed; then
//   shows its [data-when-done] part (a link that reloads the page) instead of [data-while-pending].
// Without JavaScript the import page refreshes itself (meta refresh) and each notice has a link.
(function () {
  "use strict";

  function size(bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0)) + "%";
  }

  // Asks every `every` ms until onAnswer returns false. A busy server (5xx, no answer) is
  // asked again, up to 20 times in a row; a refusal (logged out: not JSON) stops it.
  function poll(box, every, onAnswer) {
    var failures = 0;
    function tick() {
      fetch(box.dataset.progressUrl, {credentials: "same-origin",
                                      headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (response.status >= 500) { throw new Error("busy"); }
          return response.json().then(function (answer) {
            failures = 0;
            if (onAnswer(answer) !== false) { window.setTimeout(tick, every); }
          }, function () { /* not JSON: the login page, say; stop */ });
        })
        .catch(function () {
          failures += 1;
          if (failures < 20) { window.setTimeout(tick, every * 2); }
        });
    }
    window.setTimeout(tick, every);
  }

  function watchImport(box) {
    var bar = box.querySelector(".progress-bar");
    var meter = box.querySelector("[role=progressbar]");
    var text = box.querySelector("[data-progress-text]");
    poll(box, 1500, function (answer) {
      var job = answer.job;
      if (!job || String(job.id) !== box.dataset.job || job.finished) {
        window.location.reload();
        return false;
      }
      bar.dataset.percent = job.percent;
      size(bar);
      var evaluating = job.phase === "evaluating";
      bar.classList.toggle("progress-bar-striped", evaluating);
      bar.classList.toggle("progress-bar-animated", evaluating);
      meter.setAttribute("aria-valuenow", job.percent);
      meter.setAttribute("aria-valuetext", job.text);
      text.textContent = job.text;
      return true;
    });
  }

  function watchEvaluation(box) {
    poll(box, 2000, function (answer) {
      if (answer.evaluation.pending) { return true; }
      box.querySelectorAll("[data-while-pending]").forEach(function (part) { part.hidden = true; });
      box.querySelectorAll("[data-when-done]").forEach(function (part) { part.hidden = false; });
      if (box.classList.contains("alert")) {
        box.classList.remove("alert-info");
        box.classList.add("alert-success");
      }
      return false;
    });
  }

  document.querySelectorAll("[data-percent]").forEach(size);
  document.querySelectorAll("[data-watch=import]").forEach(watchImport);
  document.querySelectorAll("[data-watch=evaluation]").forEach(watchEvaluation);
})();
