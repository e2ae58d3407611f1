/*
 * Evidence uploads for slow connections, and the in-page preview of a PDF or a photo.
 *
 * Loaded by templates/models_registry/includes/attachment_preview.html (once per page
 * however many times it is included). Progressive enhancement: without this script the
 * upload form posts every chosen file at once and "View" opens the file in a new tab.
 *
 * Upload box (form[data-upload]): files chosen with the button or dropped on the zone are
 * listed in a queue. A file over data-max-bytes or of a type outside data-accept is refused
 * here, at once, with its message, and never sent. "Upload" then sends the others one at a
 * time (XMLHttpRequest, so each has its own progress bar), asking for JSON:
 * {ok, added, errors, list}. A refused file shows the server's errors next to it; an added
 * one replaces the file list ([data-attachment-list] before the form) with the server's
 * fresh copy. A queued or running file can be cancelled.
 *
 * Preview (a[data-preview="image"|"pdf"], delegated so refreshed lists work too): a
 * Bootstrap modal with the photo or the PDF in an iframe. A browser without a PDF viewer
 * (most phones) opens the PDF as the link does.
 */
(function () {
  "use strict";

  if (window.dvkUploads) {
    return;
  }
  window.dvkUploads = true;

  function named(template, name) {
    return (template || "").split("{name}").join(name);
  }

  function sizeText(bytes) {
    var lang = document.documentElement.lang || "vi";
    if (bytes < 1024 * 1024) {
      return Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang) + " KB";
    }
    return (bytes / (1024 * 1024)).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /* ---- The upload box ---- */

  function UploadBox(form) {
    this.form = form;
    this.data = form.dataset;
    this.input = form.querySelector("input[type=file]");
    this.queue = form.querySelector("[data-upload-queue]");
    this.status = form.querySelector("[data-upload-status]");
    this.accept = (this.data.accept || "").split(",");
    this.maxBytes = parseInt(this.data.maxBytes, 10);
    this.items = [];
    this.running = null;
    this.bind();
  }

  UploadBox.prototype.bind = function () {
    var box = this;
    var zone = this.form.querySelector("[data-upload-drop]");
    this.input.addEventListener("change", function () {
      box.add(box.input.files);
      box.input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("upload-drop--over");
      });
    });
    zone.addEventListener("dragleave", function (event) {
      if (!zone.contains(event.relatedTarget)) {
        zone.classList.remove("upload-drop--over");
      }
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("upload-drop--over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        box.add(event.dataTransfer.files);
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      box.start();
    });
  };

  UploadBox.prototype.refusal = function (file) {
    if (this.accept.indexOf(extensionOf(file.name)) < 0) {
      return named(this.data.msgType, file.name);
    }
    if (file.size > this.maxBytes) {
      return named(this.data.msgTooBig, file.name);
    }
    return null;
  };

  UploadBox.prototype.add = function (files) {
    // A new choice starts a new batch: what was uploaded or refused before leaves the queue.
    this.items = this.items.filter(function (item) {
      if (item.state === "done" || item.state === "error") {
        item.row.remove();
        return false;
      }
      return true;
    });
    for (var i = 0; i < files.length; i += 1) {
      if (this.queued(files[i])) {
        continue; // chosen twice: it goes once
      }
      var item = this.row(files[i]);
      var refusal = this.refusal(files[i]);
      if (refusal) {
        this.fail(item, [refusal]);
      }
      this.items.push(item);
    }
    this.queue.hidden = this.items.length === 0;
  };

  UploadBox.prototype.queued = function (file) {
    return this.items.some(function (item) {
      var other = item.file;
      return (
        (item.state === "ready" || item.state === "uploading") &&
        other.name === file.name &&
        other.size === file.size &&
        other.lastModified === file.lastModified
      );
    });
  };

  UploadBox.prototype.row = function (file) {
    var box = this;
    var item = { file: file, state: "ready", xhr: null };
    var row = element("li", "upload-item upload-item--ready");
    var head = element("div", "upload-item-head");
    head.appendChild(element("span", "upload-item-name text-break", file.name));
    head.appendChild(element("span", "upload-item-size", sizeText(file.size)));
    item.label = element("span", "upload-item-state", this.data.msgReady);
    head.appendChild(item.label);
    item.button = element("button", "btn btn-sm btn-outline-secondary upload-item-cancel");
    item.button.type = "button";
    item.button.addEventListener("click", function () {
      box.cancel(item);
    });
    head.appendChild(item.button);
    row.appendChild(head);
    var bar = element("div", "upload-item-progress");
    item.progress = element("progress");
    item.progress.max = 100;
    item.progress.value = 0;
    item.progress.setAttribute("aria-label", file.name);
    item.percent = element("span", "upload-item-percent", "0 %");
    bar.appendChild(item.progress);
    bar.appendChild(item.percent);
    row.appendChild(bar);
    item.errors = element("div", "upload-item-errors invalid-feedback d-block");
    item.errors.setAttribute("role", "alert");
    row.appendChild(item.errors);
    item.row = row;
    this.setButton(item, this.data.msgCancel);
    this.queue.appendChild(row);
    return item;
  };

  UploadBox.prototype.setButton = function (item, text) {
    item.button.textContent = text;
    item.button.appendChild(element("span", "visually-hidden", " " + item.file.name));
  };

  UploadBox.prototype.setState = function (item, state, text) {
    item.state = state;
    item.row.className = "upload-item upload-item--" + state;
    item.label.textContent = text;
  };

  UploadBox.prototype.fail = function (item, messages) {
    this.setState(item, "error", this.data.msgRefused);
    item.errors.textContent = "";
    messages.forEach(function (message) {
      item.errors.appendChild(element("p", "mb-0", message));
    });
    this.setButton(item, this.data.msgDismiss);
  };

  UploadBox.prototype.cancel = function (item) {
    if (item.state === "uploading" && item.xhr) {
      item.xhr.abort();
    }
    item.row.remove();
    this.items = this.items.filter(function (other) {
      return other !== item;
    });
    this.queue.hidden = this.items.length === 0;
  };

  UploadBox.prototype.start = function () {
    var waiting = this.items.some(function (item) {
      return item.state === "ready";
    });
    if (!waiting && !this.running) {
      this.status.textContent = this.data.msgNone;
      this.status.classList.remove("visually-hidden");
      this.status.classList.add("invalid-feedback", "d-block");
      return;
    }
    this.status.classList.add("visually-hidden");
    this.status.classList.remove("invalid-feedback", "d-block");
    this.next();
  };

  UploadBox.prototype.next = function () {
    if (this.running) {
      return;
    }
    var item = this.items.filter(function (candidate) {
      return candidate.state === "ready";
    })[0];
    if (item) {
      this.send(item);
    }
  };

  UploadBox.prototype.send = function (item) {
    var box = this;
    var body = new FormData(this.form);
    body.delete("file");
    body.append("file", item.file, item.file.name);
    var xhr = new XMLHttpRequest();
    item.xhr = xhr;
    this.running = item;
    this.setState(item, "uploading", this.data.msgUploading);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        box.progress(item, Math.round((event.loaded / event.total) * 100));
      }
    });
    xhr.addEventListener("load", function () {
      box.finished(item, xhr);
    });
    xhr.addEventListener("error", function () {
      box.fail(item, [box.data.msgFailed]);
    });
    xhr.addEventListener("loadend", function () {
      box.running = null;
      item.xhr = null;
      box.next();
    });
    xhr.open("POST", this.form.action.split("#")[0]);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.send(body);
  };

  UploadBox.prototype.progress = function (item, percent) {
    item.progress.value = percent;
    item.percent.textContent = percent + " %";
  };

  UploadBox.prototype.finished = function (item, xhr) {
    var answer = null;
    try {
      answer = JSON.parse(xhr.responseText);
    } catch (error) {
      answer = null;
    }
    if (!answer || typeof answer.ok !== "boolean") {
      // The login page, a proxy's error page, an expired session: nothing was saved.
      this.fail(item, [this.data.msgFailed]);
      return;
    }
    if (answer.list) {
      this.replaceList(answer.list);
    }
    if (!answer.ok) {
      this.fail(item, answer.errors.length ? answer.errors : [this.data.msgFailed]);
      return;
    }
    this.progress(item, 100);
    this.setState(item, "done", this.data.msgUploaded);
    item.button.remove();
    this.status.textContent = named(this.data.msgDone, item.file.name);
  };

  UploadBox.prototype.replaceList = function (html) {
    var current = this.form.parentElement.querySelector(":scope > [data-attachment-list]");
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var fresh = parsed.querySelector("[data-attachment-list]");
    if (current && fresh) {
      current.replaceWith(document.adoptNode(fresh));
    }
  };

  /* ---- The preview ---- */

  var modal = null;

  function previewModal() {
    if (modal) {
      return modal;
    }
    var template = document.querySelector("template[data-preview-template]");
    if (!template || !window.bootstrap) {
      return null;
    }
    var root = template.content.firstElementChild.cloneNode(true);
    document.body.appendChild(root);
    modal = {
      root: root,
      title: root.querySelector(".modal-title"),
      body: root.querySelector("[data-preview-body]"),
      download: root.querySelector("[data-preview-download]"),
      frameTitle: template.dataset.frameTitle,
      bs: new window.bootstrap.Modal(root),
    };
    root.addEventListener("hidden.bs.modal", function () {
      modal.body.textContent = ""; // stop loading a large PDF nobody looks at any more
    });
    return modal;
  }

  function openPreview(link) {
    var kind = link.dataset.preview;
    if (kind === "pdf" && navigator.pdfViewerEnabled === false) {
      return false;
    }
    var preview = previewModal();
    if (!preview) {
      return false;
    }
    var name = link.dataset.name;
    preview.title.textContent = name;
    preview.download.href = link.dataset.download;
    preview.body.textContent = "";
    var content;
    if (kind === "image") {
      content = element("img", "attachment-preview-image");
      content.alt = name;
    } else {
      content = element("iframe", "attachment-preview-frame");
      content.title = named(preview.frameTitle, name);
    }
    content.src = link.getAttribute("href");
    preview.body.appendChild(content);
    preview.bs.show(link);
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-preview]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    if (openPreview(link)) {
      event.preventDefault();
    }
  });

  function init() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      if (form.querySelector("input[type=file]") && form.querySelector("[data-upload-drop]")) {
        new UploadBox(form); // eslint-disable-line no-new
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
