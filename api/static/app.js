// The paste-a-draft page: POST the draft to /v1/check?format=html and show the annotated verdict.
"use strict";

const TEXTS = {
  ru: {
    heading: "Проверка письма", token: "Токен доступа", tokenHint: "выдаёт администратор: mail-lint token create",
    subject: "Тема", to: "Кому", cc: "Копия", attachments: "Вложения (имена файлов)", attachHint: "КП.pdf, через запятую",
    addrHint: "Иван Петров <ivan@client.ru>, через запятую", text: "Текст письма", check: "Проверить",
    save: "Сохранить результат", checking: "Проверяю…", done: "Готово", failed: "Ошибка", title: "mail-lint — проверка письма",
    recorded: "записано: руководитель увидит это в отчёте",
    changed: "Текст изменился после проверки: проверьте письмо ещё раз.",
  },
  en: {
    heading: "Check an email", token: "Access token", tokenHint: "from your admin: mail-lint token create",
    subject: "Subject", to: "To", cc: "Cc", attachments: "Attachments (file names)", attachHint: "quote.pdf, comma-separated",
    addrHint: "Ivan Petrov <ivan@client.com>, comma-separated", text: "Email text", check: "Check",
    save: "Save the result", checking: "Checking…", done: "Done", failed: "Error", title: "mail-lint — check an email",
    recorded: "recorded: your head of sales will see it in the digest",
    changed: "The text changed after the check: check the email again.",
  },
};

// checked: the draft's text as last sent for checking; the shorter version belongs to that text only.
const state = { lang: localStorage.getItem("mail-lint.lang") || "ru", checked: null };
const $ = (id) => document.getElementById(id);

function applyLanguage(lang) {
  state.lang = TEXTS[lang] ? lang : "ru";
  localStorage.setItem("mail-lint.lang", state.lang);
  const texts = TEXTS[state.lang];
  document.documentElement.lang = state.lang;
  document.title = texts.title;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = texts[el.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = texts[el.dataset.i18nPlaceholder]; });
  document.querySelectorAll(".lang-switch button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
}

// "a@x.ru, Ivan <b@y.ru>; c@z.ru" -> ["a@x.ru", "Ivan <b@y.ru>", "c@z.ru"]
function splitList(value) {
  return value.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

function draftFromForm() {
  return {
    subject: $("subject").value,
    to: splitList($("to").value),
    cc: splitList($("cc").value),
    attachments: splitList($("attachments").value).map((filename) => ({ filename })),
    text: $("text").value,
  };
}

async function check(event) {
  if (event) event.preventDefault();
  const texts = TEXTS[state.lang];
  const token = $("token").value.trim();
  localStorage.setItem("mail-lint.token", token);
  $("status").textContent = texts.checking;
  $("check").disabled = true;
  try {
    const draft = draftFromForm();
    state.checked = draft.text;
    const params = new URLSearchParams({ format: "html", lang: state.lang, save: String($("save").checked) });
    const response = await fetch(`/v1/check?${params}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/html", Authorization: `Bearer ${token}` },
      body: JSON.stringify(draft),
    });
    if (!response.ok) {
      let reason = `HTTP ${response.status}`;
      try { reason = (await response.json()).error || reason; } catch (_) { /* not JSON: keep the status */ }
      throw new Error(reason);
    }
    // The server renders the annotated verdict (one renderer for API and page); we take its <article>.
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = page.querySelector("article.verdict");
    $("result").replaceChildren(document.importNode(article, true));
    $("status").textContent = texts.done;
  } catch (error) {
    const message = document.createElement("p");
    message.className = "error";
    message.textContent = `${texts.failed}: ${error.message}`;
    $("result").replaceChildren(message);
    $("status").textContent = "";
  } finally {
    $("check").disabled = false;
  }
}

// A verdict offset (Python counts code points) as an offset in a JavaScript (UTF-16) string.
function units(text, points) {
  let i = 0;
  for (let n = 0; n < points && i < text.length; n += 1) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

// «Применить» under the shorter version: the checked text with the rewrite's edits in place (the signature and the
// quoted history around them stay), into the draft box, and check it again. The edits are offsets in the checked
// text, so a draft typed on since the check is left alone, with a word why.
async function applyRewrite(event) {
  const button = event.target.closest("button.apply-rewrite");
  if (!button) return;
  const article = button.closest("article.verdict");
  const text = article.querySelector(".annotated").textContent;   // the verdict's text, as the spans count it
  if ($("text").value !== state.checked || text !== state.checked) {
    $("status").textContent = TEXTS[state.lang].changed;
    return;
  }
  const edits = [...article.querySelectorAll("section.rewrite .edit")].map((edit) => ({
    start: units(text, Number(edit.dataset.start)), end: units(text, Number(edit.dataset.end)),
    replacement: edit.dataset.replacement,
  }));
  let rewritten = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    rewritten = rewritten.slice(0, edit.start) + edit.replacement + rewritten.slice(edit.end);
  }
  $("text").value = rewritten;
  await check();
}

// «Не ошибка» on a finding: record the dismissal; a dismissed spelling is then the manager's own word, so
// check again and the finding is gone. Other dismissals are recorded for the head and say so.
async function dismiss(event) {
  const link = event.target.closest("a.dismiss");
  if (!link) return;
  event.preventDefault();
  const texts = TEXTS[state.lang];
  const body = { name: link.dataset.name, excerpt: link.dataset.excerpt };
  if (link.dataset.verdictId) body.verdict_id = parseInt(link.dataset.verdictId, 10);
  link.setAttribute("aria-disabled", "true");
  try {
    const response = await fetch("/v1/dismissals", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${$("token").value.trim()}` },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    if (answer.personal) {
      await check();
    } else {
      link.replaceWith(Object.assign(document.createElement("span"), { className: "dismissed", textContent: texts.recorded }));
    }
  } catch (error) {
    $("status").textContent = `${texts.failed}: ${error.message}`;
    link.removeAttribute("aria-disabled");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("result").addEventListener("click", dismiss);
  $("result").addEventListener("click", applyRewrite);
  $("token").value = localStorage.getItem("mail-lint.token") || "";
  document.querySelectorAll(".lang-switch button").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
  $("draft-form").addEventListener("submit", check);
  applyLanguage(state.lang);
});
