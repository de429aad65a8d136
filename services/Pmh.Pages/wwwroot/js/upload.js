// The municipality page's upload with a progress bar: the file's bytes go to /municipality/upload as the body
// (XMLHttpRequest, so that upload progress can be shown), then the batch's status is polled until it is final and the
// batch's page is shown. Without this script the form posts the file as multipart and works the same.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var area = document.getElementById("upload-progress-area");
  var bar = document.getElementById("upload-progress");
  var phase = document.getElementById("upload-phase");
  var status = document.getElementById("upload-status");
  var submit = document.getElementById("upload-submit");
  var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };

  function say(message, isError, lines) {
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = message;
    if (isError) {
      p.className = "error";
      p.setAttribute("role", "alert");
    }
    status.appendChild(p);
    if (lines && lines.length) {
      var ul = document.createElement("ul");
      ul.id = "upload-reasons";
      lines.forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        ul.appendChild(li);
      });
      status.appendChild(ul);
    }
  }

  function mediaType(file) {
    var name = file.name.toLowerCase();
    if (name.endsWith(".csv")) { return "text/csv"; }
    if (name.endsWith(".json")) { return "application/json"; }
    return file.type || "application/octet-stream";
  }

  function problemLines(problem) {
    var lines = [];
    if (problem && problem.errors) {
      Object.keys(problem.errors).forEach(function (field) {
        problem.errors[field].forEach(function (reason) { lines.push(field + ": " + reason); });
      });
    } else if (problem && (problem.detail || problem.title)) {
      lines.push(problem.detail || problem.title);
    }
    return lines;
  }

  function done(batchId) {
    window.location.assign("/municipality/batches/" + encodeURIComponent(batchId));
  }

  function poll(batchId) {
    var request = new XMLHttpRequest();
    request.open("GET", "/municipality/batches/" + encodeURIComponent(batchId) + "?handler=Status");
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var batch = null;
      try { batch = JSON.parse(request.responseText); } catch (e) { batch = null; }
      if (request.status === 200 && batch && batch.status !== "accepted") {
        bar.value = 100;
        say(text("done"), false);
        done(batchId);
      } else {
        window.setTimeout(function () { poll(batchId); }, 700);
      }
    };
    request.onerror = function () { window.setTimeout(function () { poll(batchId); }, 1500); };
    request.send();
  }

  form.addEventListener("submit", function (event) {
    var file = document.getElementById("upload-file").files[0];
    if (!file) {
      return; // the browser's own "required" message
    }
    event.preventDefault();
    var kind = document.getElementById("upload-kind").value;
    var batchId = document.getElementById("upload-batch-id").value.trim();
    var token = form.querySelector("input[name='__pmh_token']");
    var url = "/municipality/upload?kind=" + encodeURIComponent(kind) + (batchId ? "&batchId=" + encodeURIComponent(batchId) : "");
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", mediaType(file));
    request.setRequestHeader("Accept", "application/json");
    if (token) {
      request.setRequestHeader("RequestVerificationToken", token.value);
    }
    area.hidden = false;
    bar.value = 0;
    phase.textContent = text("sending");
    say(text("sending") + " 0%", false);
    submit.disabled = true;
    request.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        var percent = Math.floor((e.loaded / e.total) * 100);
        bar.value = percent;
        status.firstChild.textContent = text("sending") + " " + percent + "%";
      }
    };
    request.upload.onload = function () {
      bar.value = 100;
    };
    request.onload = function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
      if (request.status === 202 && body && body.batchId) {
        phase.textContent = text("applying");
        bar.removeAttribute("value"); // indeterminate while the hub applies the batch
        say(text("applying"), false);
        if (body.status !== "accepted") {
          done(body.batchId);
        } else {
          poll(body.batchId);
        }
        return;
      }
      submit.disabled = false;
      area.hidden = true;
      say(text("refused-" + request.status) || text("refused"), true, problemLines(body));
    };
    request.onerror = function () {
      submit.disabled = false;
      area.hidden = true;
      say(text("network"), true);
    };
    request.send(file);
  });
})();
