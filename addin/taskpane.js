/*
 * The task pane: the annotated verdict for the draft being written, a Re-check button, and the settings the
 * pre-send check reads from roaming settings (the manager's token, the timeout, the UI language).
 * «Применить» under the verdict's shorter version puts its edits into the email in place (rewrite.js).
 * A classic script beside launchevent.js, whose helpers (reading the draft, posting to the service) it uses.
 */
/* global Office, MAIL_LINT, mailLintSetting, mailLintUiLanguage, mailLintTimeoutSeconds, mailLintReadDraft,
   mailLintPost, mailLintAsync, mailLintRewriteBody */
"use strict";

var PANE_TIMEOUT_MS = 20000; // the manager is waiting and watching here, unlike at Send

var PANE_TEXTS = {
  ru: {
    title: "Проверка письма", recheck: "Проверить заново", settings: "Настройки", token: "Токен mail-lint",
    timeout: "Ждать проверку перед отправкой, секунд", save: "Сохранить",
    tokenHint: "Токен выдаёт руководитель: mail-lint token create --role manager --email ваш@адрес",
    checking: "Проверяю…", checkedAt: "Проверено в ", saved: "Сохранено.", noToken: "Укажите токен в настройках.",
    timedOut: "mail-lint не ответил.", unreachable: "mail-lint недоступен.", refused: "mail-lint отказал: ",
    unreadable: "Не удалось прочитать письмо.", saveFailed: "Не удалось сохранить настройки.",
    recorded: "записано: руководитель увидит это в отчёте",
    applyFailed: "Не удалось изменить письмо.",
    unfound: function (fragment) {
      return "Сокращённый вариант не применён: в письме не удалось однозначно найти «" + fragment + "».";
    },
  },
  en: {
    title: "Check email", recheck: "Check again", settings: "Settings", token: "mail-lint token",
    timeout: "Wait for the check before sending, seconds", save: "Save",
    tokenHint: "Your head of sales issues the token: mail-lint token create --role manager --email you@address",
    checking: "Checking…", checkedAt: "Checked at ", saved: "Saved.", noToken: "Enter your token in Settings.",
    timedOut: "mail-lint did not answer.", unreachable: "mail-lint is unreachable.", refused: "mail-lint refused: ",
    unreadable: "Could not read the email.", saveFailed: "Could not save the settings.",
    recorded: "recorded: your head of sales will see it in the digest",
    applyFailed: "Could not change the email.",
    unfound: function (fragment) {
      return "The shorter version was not applied: \u201c" + fragment +
        "\u201d could not be found in the email unambiguously.";
    },
  },
};

var pane = { language: "ru" };

function paneText(key) { return PANE_TEXTS[pane.language][key]; }

function paneStatus(message, isError) {
  var status = document.getElementById("status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

function paneApplyLanguage(language) {
  pane.language = language;
  document.documentElement.lang = language;
  document.querySelectorAll("[data-text]").forEach(function (el) { el.textContent = paneText(el.dataset.text); });
  document.querySelectorAll("[data-lang]").forEach(function (b) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === language));
  });
}

function paneSave(changes, then) {
  var settings = Office.context.roamingSettings;
  Object.keys(changes).forEach(function (name) {
    if (changes[name] === "") settings.remove(name); else settings.set(name, changes[name]);
  });
  settings.saveAsync(function (result) {
    if (result.status === Office.AsyncResultStatus.Failed) paneStatus(paneText("saveFailed"), true);
    else if (then) then();
  });
}

/** Lints the draft as it is now and shows the service's annotated page (in the pane's language). */
function paneCheck() {
  var token = String(mailLintSetting(MAIL_LINT.tokenSetting)).trim();
  if (!token) {
    document.getElementById("settings").open = true;
    return paneStatus(paneText("noToken"), true);
  }
  paneStatus(paneText("checking"));
  mailLintReadDraft(Office.context.mailbox.item).then(function (draft) {
    var path = "/v1/check?save=false&format=html&lang=" + pane.language;
    return mailLintPost(path, draft, token, PANE_TIMEOUT_MS).then(function (response) {
      if (response.status !== 200) {
        var why = response.body && response.body.error ? response.body.error : "HTTP " + response.status;
        return paneStatus(paneText("refused") + why, true);
      }
      var frame = document.getElementById("verdict");
      frame.onload = function () {
        frame.contentDocument.addEventListener("click", paneDismiss);
        frame.contentDocument.addEventListener("click", paneApplyRewrite);
      };
      frame.srcdoc = response.text;
      paneStatus(paneText("checkedAt") + new Date().toLocaleTimeString(pane.language, { hour: "2-digit",
        minute: "2-digit" }));
    }, function (error) {
      paneStatus(paneText(error.kind === "timeout" ? "timedOut" : "unreachable"), true);
    });
  }, function () {
    paneStatus(paneText("unreadable"), true);
  });
}

/**
 * «Не ошибка» on a finding of the verdict (a sandboxed frame without script: its clicks are handled here).
 * A dismissed spelling is then the manager's own word, so the pane checks again and the finding is gone;
 * any other dismissal is recorded for the head of sales, and the pane says so.
 */
function paneDismiss(event) {
  var link = event.target.closest ? event.target.closest("a.dismiss") : null;
  if (!link) return;
  event.preventDefault();
  var token = String(mailLintSetting(MAIL_LINT.tokenSetting)).trim();
  var body = { name: link.dataset.name, excerpt: link.dataset.excerpt };
  if (link.dataset.verdictId) body.verdict_id = parseInt(link.dataset.verdictId, 10);
  mailLintPost("/v1/dismissals", body, token, PANE_TIMEOUT_MS).then(function (response) {
    if (response.status !== 201) {
      var why = response.body && response.body.error ? response.body.error : "HTTP " + response.status;
      return paneStatus(paneText("refused") + why, true);
    }
    if (response.body.personal) return paneCheck();
    var note = link.ownerDocument.createElement("span");
    note.className = "dismissed";
    note.textContent = paneText("recorded");
    link.replaceWith(note);
  }, function (error) {
    paneStatus(paneText(error.kind === "timeout" ? "timedOut" : "unreachable"), true);
  });
}

/** The verdict's text and its rewrite's edits, as the annotated page in the frame carries them. */
function paneRewriteIn(doc) {
  var edits = Array.prototype.map.call(doc.querySelectorAll("section.rewrite .edit"), function (edit) {
    return { start: Number(edit.dataset.start), end: Number(edit.dataset.end), replacement: edit.dataset.replacement };
  });
  return { text: doc.querySelector(".annotated").textContent, edits: edits };
}

/**
 * «Применить» under the shorter version: the edits go into the body in place, in the format the body has (HTML
 * keeps its formatting, the signature and the quoted history); an edit that cannot be placed unambiguously
 * leaves the body untouched and says which. Then the pane checks the new text.
 */
function paneApplyRewrite(event) {
  var button = event.target.closest ? event.target.closest("button.apply-rewrite") : null;
  if (!button) return;
  event.preventDefault();
  var rewrite = paneRewriteIn(button.ownerDocument);
  var body = Office.context.mailbox.item.body;
  var failed = function () { button.disabled = false; paneStatus(paneText("applyFailed"), true); };
  button.disabled = true;
  mailLintAsync(function (cb) { body.getTypeAsync(cb); }).then(function (type) {
    return mailLintAsync(function (cb) { body.getAsync(type, cb); }).then(function (current) {
      var result = mailLintRewriteBody(current || "", type === Office.CoercionType.Html, rewrite.text, rewrite.edits);
      if (result.unfound !== undefined) {
        button.disabled = false;
        var fragment = result.unfound.replace(/\s+/g, " ").trim();
        return paneStatus(PANE_TEXTS[pane.language].unfound(fragment.length > 40 ? fragment.slice(0, 39) + "…"
          : fragment), true);
      }
      return mailLintAsync(function (cb) { body.setAsync(result.body, { coercionType: type }, cb); })
        .then(paneCheck, failed);
    });
  }).catch(failed);
}

function paneStart() {
  paneApplyLanguage(mailLintUiLanguage());
  document.getElementById("token").value = mailLintSetting(MAIL_LINT.tokenSetting);
  document.getElementById("timeout").value = mailLintTimeoutSeconds();
  document.querySelectorAll("[data-lang]").forEach(function (button) {
    button.addEventListener("click", function () {
      paneApplyLanguage(button.dataset.lang);
      var changes = {};
      changes[MAIL_LINT.languageSetting] = button.dataset.lang;
      paneSave(changes, paneCheck);
    });
  });
  document.getElementById("recheck").addEventListener("click", paneCheck);
  document.getElementById("save").addEventListener("click", function () {
    var changes = {};
    changes[MAIL_LINT.tokenSetting] = document.getElementById("token").value.trim();
    changes[MAIL_LINT.timeoutSetting] = Number(document.getElementById("timeout").value) || "";
    paneSave(changes, function () { paneStatus(paneText("saved")); paneCheck(); });
  });
  paneCheck();
}

// Office may be ready before the page is parsed (the scripts sit in <head>): wait for both.
Office.onReady(function () {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", paneStart);
  else paneStart();
});
