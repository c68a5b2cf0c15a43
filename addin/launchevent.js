/*
 * mail-lint's pre-send check (Outlook Smart Alerts, OnMessageSend, SendMode="SoftBlock").
 *
 * One classic script, no imports: classic Outlook on Windows runs this file alone in its JavaScript-only
 * runtime, where there are no modules and no page to resolve relative URLs against, so the service fills
 * in its own absolute base URL when it serves this file. The task pane loads it too and reuses the helpers.
 *
 * What it does on Send: reads the draft (subject, HTML and text body, To, Cc, attachments' names and
 * types), posts it to POST {BASE_URL}/v1/check?save=false with the manager's token, and
 *   - holds the email when the verdict has `error` findings, naming the top ones in the email's language
 *     and offering the task pane;
 *   - lets it go when there are none;
 *   - lets it go, with a notice, when it cannot check: no token, the service is down or slower than the
 *     timeout (default 5 s, roaming setting mailLintTimeoutSeconds), or the service refused the request.
 *     A linter must never stop a manager from mailing a customer because the linter is down.
 *
 * save=false: a send attempt is not the sent email. A held draft would be stored once per try, and what
 * is finally sent reaches the store through the mailbox watcher (BCC), exactly once.
 */
/* global Office */
"use strict";

var MAIL_LINT = {
  baseUrl: "{{BASE_URL}}",
  defaultTimeoutSeconds: 5,
  tokenSetting: "mailLintToken",
  timeoutSetting: "mailLintTimeoutSeconds",
  languageSetting: "mailLintLanguage",
  paneCommandId: "mailLintOpenPaneButton", // the ribbon button's id in manifest.xml
  noticeKey: "mailLintNotice",
  noticeIcon: "Icon.16x16",
  maxShown: 3,
  maxAlertChars: 500, // Smart Alerts cuts errorMessage and errorMessageMarkdown at 500 characters
  maxNoticeChars: 150, // notification messages hold at most 150 characters
};

var MAIL_LINT_TEXTS = {
  ru: {
    errors: function (n) { return n + " " + mailLintPlural(n, "ошибка", "ошибки", "ошибок"); },
    held: function (count) { return "mail-lint: письмо не отправлено, " + count + "."; },
    more: function (n) { return "…и ещё " + n + "."; },
    fix: "Исправьте письмо и отправьте снова.",
    openPane: "Открыть проверку",
    noToken: "mail-lint: нет токена, письмо ушло без проверки. Укажите токен в панели «Проверка письма».",
    timeout: function (s) { return "mail-lint не ответил за " + s + " с, письмо ушло без проверки."; },
    unreachable: "mail-lint недоступен, письмо ушло без проверки.",
    refused: function (why) { return "mail-lint не проверил письмо (" + why + "), оно ушло без проверки."; },
    unreadable: "mail-lint не смог прочитать письмо, оно ушло без проверки.",
  },
  en: {
    errors: function (n) { return n + " " + (n === 1 ? "error" : "errors"); },
    held: function (count) { return "mail-lint: not sent, " + count + "."; },
    more: function (n) { return "…and " + n + " more."; },
    fix: "Fix the email and send it again.",
    openPane: "Open the check",
    noToken: "mail-lint: no token, so the email went unchecked. Enter your token in the Check email pane.",
    timeout: function (s) { return "mail-lint did not answer within " + s + " s; the email went unchecked."; },
    unreachable: "mail-lint is unreachable; the email went unchecked.",
    refused: function (why) { return "mail-lint could not check the email (" + why + "); it went unchecked."; },
    unreadable: "mail-lint could not read the email; it went unchecked.",
  },
};

function mailLintPlural(n, one, few, many) {
  var mod10 = n % 10, mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

function mailLintClip(text, limit) {
  return text.length <= limit ? text : text.slice(0, limit - 1) + "…";
}

function mailLintSetting(name) {
  var settings = Office.context.roamingSettings;
  var value = settings && settings.get(name);
  return value === undefined || value === null ? "" : value;
}

/** The UI language for notices: the manager's choice, else Outlook's display language; Russian first. */
function mailLintUiLanguage() {
  var chosen = mailLintSetting(MAIL_LINT.languageSetting);
  if (chosen === "ru" || chosen === "en") return chosen;
  var display = String(Office.context.displayLanguage || "ru");
  return display.toLowerCase().indexOf("en") === 0 ? "en" : "ru";
}

function mailLintTimeoutSeconds() {
  var seconds = Number(mailLintSetting(MAIL_LINT.timeoutSetting));
  return seconds > 0 && seconds <= 60 ? seconds : MAIL_LINT.defaultTimeoutSeconds;
}

/** An Office.js async getter as a promise of its value. */
function mailLintAsync(call) {
  return new Promise(function (resolve, reject) {
    call(function (result) {
      if (result.status === Office.AsyncResultStatus.Failed) reject(new Error(result.error && result.error.message));
      else resolve(result.value);
    });
  });
}

function mailLintAddress(recipient) {
  if (!recipient) return "";
  var email = recipient.emailAddress || "";
  var name = recipient.displayName || "";
  return name && name !== email ? name + " <" + email + ">" : email;
}

// Compose mode tells an attachment's name but not its type; the checks look at the name and the type.
var MAIL_LINT_TYPES = {
  pdf: "application/pdf", doc: "application/msword", xls: "application/vnd.ms-excel",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", zip: "application/zip", txt: "text/plain",
};

function mailLintAttachment(details) {
  var name = details.name || "attachment";
  var type = details.contentType || MAIL_LINT_TYPES[name.split(".").pop().toLowerCase()];
  return { filename: name, content_type: type || "application/octet-stream", size: details.size || 0 };
}

/** The draft as POST /v1/check wants it. */
function mailLintReadDraft(item) {
  var text = function (getter) {
    return getter ? mailLintAsync(function (cb) { getter.getAsync(cb); }) : Promise.resolve("");
  };
  var body = function (type) { return mailLintAsync(function (cb) { item.body.getAsync(type, cb); }); };
  var attachments = item.getAttachmentsAsync
    ? mailLintAsync(function (cb) { item.getAttachmentsAsync(cb); })
    : Promise.resolve([]);
  // The sender is a nicety (the service falls back to the token's owner); the rest must be read.
  var sender = text(item.from).catch(function () { return null; });
  return Promise.all([text(item.subject), body(Office.CoercionType.Html), body(Office.CoercionType.Text),
    text(item.to), text(item.cc), sender, attachments]).then(function (v) {
    var draft = {
      subject: v[0] || "",
      to: (v[3] || []).map(mailLintAddress),
      cc: (v[4] || []).map(mailLintAddress),
      // Inline images (a logo in the signature) are part of the body, not files the reader opens.
      attachments: (v[6] || []).filter(function (a) { return !a.isInline; }).map(mailLintAttachment),
    };
    // The HTML keeps Outlook's reply header and quote markup, which the service uses to cut the quoted
    // history off; the service prefers text when both come, so send the text only when there is no HTML.
    if (v[1] && v[1].trim()) draft.html = v[1]; else draft.text = v[2] || " ";
    var sender = v[5] ? v[5].emailAddress : (Office.context.mailbox.userProfile || {}).emailAddress;
    if (sender) draft.from = sender;
    return draft;
  });
}

/** POST to the service; resolves {status, body, text}; rejects with error.kind "timeout" or "unreachable". */
function mailLintPost(path, payload, token, timeoutMs) {
  var url = MAIL_LINT.baseUrl.replace(/\/$/, "") + path;
  var headers = { "Content-Type": "application/json", Authorization: "Bearer " + token };
  var failure = function (kind) { var e = new Error(kind); e.kind = kind; return e; };
  if (typeof fetch !== "function") return mailLintPostXhr(url, headers, payload, timeoutMs, failure);
  var controller = typeof AbortController === "function" ? new AbortController() : null;
  var timer;
  var timeout = new Promise(function (_, reject) {
    timer = setTimeout(function () {
      if (controller) controller.abort();
      reject(failure("timeout"));
    }, timeoutMs);
  });
  var request = fetch(url, { method: "POST", headers: headers, body: JSON.stringify(payload),
    signal: controller ? controller.signal : undefined })
    .then(function (response) {
      return response.text().then(function (text) { return mailLintResponse(response.status, text); });
    }, function () { throw failure("unreachable"); });
  return Promise.race([request, timeout]).then(function (r) { clearTimeout(timer); return r; },
    function (e) {
      clearTimeout(timer);
      throw e.kind === "unreachable" || e.kind === "timeout" ? e : failure("unreachable");
    });
}

function mailLintPostXhr(url, headers, payload, timeoutMs, failure) {
  return new Promise(function (resolve, reject) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url, true);
    Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
    xhr.timeout = timeoutMs;
    xhr.onload = function () { resolve(mailLintResponse(xhr.status, xhr.responseText)); };
    xhr.ontimeout = function () { reject(failure("timeout")); };
    xhr.onerror = function () { reject(failure("unreachable")); };
    xhr.send(JSON.stringify(payload));
  });
}

function mailLintResponse(status, text) {
  var body = null;
  try { body = JSON.parse(text); } catch (e) { body = null; }
  return { status: status, body: body, text: text };
}

/** The error findings worth naming: one per rule, in the order they appear in the email. */
function mailLintTopErrors(verdict) {
  var seen = {};
  return (verdict.findings || [])
    .filter(function (f) { return f.severity === "error"; })
    .sort(function (a, b) { return a.start - b.start; })
    .filter(function (f) { if (seen[f.name]) return false; seen[f.name] = true; return true; });
}

function mailLintMarkdownEscape(text) {
  return String(text).replace(/([\\`*_\[\]#>|~])/g, "\\$1");
}

/** The options that hold the email: a short message in the email's language naming the top problems. */
function mailLintHoldOptions(verdict) {
  var language = verdict.message && verdict.message.language === "en" ? "en" : "ru";
  var t = MAIL_LINT_TEXTS[language];
  var errors = mailLintTopErrors(verdict);
  var total = (verdict.findings || []).filter(function (f) { return f.severity === "error"; }).length;
  var shown = errors.slice(0, MAIL_LINT.maxShown);
  var rest = total - shown.length;
  var head = t.held(t.errors(total));
  var tail = (rest > 0 ? " " + t.more(rest) : "") + " " + t.fix;
  var sentence = function (text) { return /[.!?…]$/.test(text) ? text : text + "."; };
  var items = shown.map(function (f, i) { return (shown.length > 1 ? (i + 1) + ") " : "") + sentence(f.message); });
  var plain = head + " " + items.join(" ") + tail;
  var markdown = "**" + mailLintMarkdownEscape(head) + "**\n\n" +
    shown.map(function (f) { return "- " + mailLintMarkdownEscape(f.message); }).join("\n") + "\n\n" +
    mailLintMarkdownEscape(tail.trim());
  return {
    allowEvent: false,
    errorMessage: mailLintClip(plain, MAIL_LINT.maxAlertChars),
    errorMessageMarkdown: mailLintClip(markdown, MAIL_LINT.maxAlertChars),
    cancelLabel: t.openPane,
    commandId: MAIL_LINT.paneCommandId,
    contextData: JSON.stringify({ score: verdict.score, errors: shown.map(function (f) { return f.name; }) }),
  };
}

/** Tells the manager why the email went unchecked, then lets it go. */
function mailLintLetThrough(event, item, notice) {
  var done = function () { event.completed({ allowEvent: true }); };
  if (!item || !item.notificationMessages) return done();
  item.notificationMessages.addAsync(MAIL_LINT.noticeKey, {
    type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
    message: mailLintClip(notice, MAIL_LINT.maxNoticeChars),
    icon: MAIL_LINT.noticeIcon,
    persistent: false,
  }, done);
}

function mailLintRefusal(response) {
  var why = response.body && response.body.error ? response.body.error : "HTTP " + response.status;
  return mailLintClip(why, 60);
}

function onMessageSendHandler(sendEvent) {
  // Complete exactly once, whatever path gets there first; a bug below must not leave Send hanging.
  var completed = false;
  var event = { completed: function (options) { if (!completed) { completed = true; sendEvent.completed(options); } } };
  var item = Office.context.mailbox.item;
  var t = MAIL_LINT_TEXTS[mailLintUiLanguage()];
  var token = String(mailLintSetting(MAIL_LINT.tokenSetting)).trim();
  if (!token) return mailLintLetThrough(event, item, t.noToken);
  var seconds = mailLintTimeoutSeconds();
  mailLintReadDraft(item).then(function (draft) {
    return mailLintPost("/v1/check?save=false", draft, token, seconds * 1000).then(function (response) {
      if (response.status !== 200 || !response.body || !response.body.findings) {
        return mailLintLetThrough(event, item, t.refused(mailLintRefusal(response)));
      }
      if (mailLintTopErrors(response.body).length) return event.completed(mailLintHoldOptions(response.body));
      event.completed({ allowEvent: true });
    }, function (error) {
      mailLintLetThrough(event, item, error.kind === "timeout" ? t.timeout(seconds) : t.unreachable);
    });
  }, function () {
    mailLintLetThrough(event, item, t.unreadable);
  }).catch(function () {
    mailLintLetThrough(event, item, t.unreadable);
  });
}

if (typeof Office !== "undefined" && Office.actions && Office.actions.associate) {
  Office.actions.associate("onMessageSendHandler", onMessageSendHandler);
}
