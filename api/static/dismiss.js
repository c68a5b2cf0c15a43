// The «Не ошибка» page that links in the annotated verdict and the feedback mail open: records the dismissal.
"use strict";

const TEXTS = {
  ru: {
    heading: "Это не ошибка", finding: "Замечание", token: "Токен доступа", reason: "Почему это не ошибка (необязательно)",
    dismiss: "Не ошибка", sending: "Отправляю…", failed: "Ошибка",
    personal: "Записано: в ваших письмах это слово больше не будет отмечаться.",
    recorded: "Записано: руководитель увидит это в отчёте.", title: "mail-lint — не ошибка",
  },
  en: {
    heading: "Not a problem", finding: "Finding", token: "Access token", reason: "Why it is not a problem (optional)",
    dismiss: "Not a problem", sending: "Sending…", failed: "Error",
    personal: "Recorded: this word will no longer be flagged in your emails.",
    recorded: "Recorded: your head of sales will see it in the digest.", title: "mail-lint — not a problem",
  },
};

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const lang = TEXTS[params.get("lang")] ? params.get("lang") : "ru";
const texts = TEXTS[lang];

async function dismiss(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  localStorage.setItem("mail-lint.token", token);
  $("status").textContent = texts.sending;
  $("dismiss").disabled = true;
  const body = { name: params.get("name") || "", excerpt: params.get("excerpt") || "", reason: $("reason").value };
  const verdictId = parseInt(params.get("verdict_id") || "", 10);
  if (verdictId > 0) body.verdict_id = verdictId;
  try {
    const response = await fetch("/v1/dismissals", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    $("status").textContent = answer.personal ? texts.personal : texts.recorded;
  } catch (error) {
    $("status").textContent = `${texts.failed}: ${error.message}`;
    $("dismiss").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.lang = lang;
  document.title = texts.title;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = texts[el.dataset.i18n]; });
  $("finding-name").textContent = params.get("name") || "";
  $("finding-excerpt").textContent = params.get("excerpt") || "";
  $("token").value = localStorage.getItem("mail-lint.token") || "";
  $("dismiss-form").addEventListener("submit", dismiss);
});
