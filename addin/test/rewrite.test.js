// «Применить» in the task pane: the verdict's shorter version put into the Outlook body in place (rewrite.js).
// The verdicts come from the real service: the edits are the ones it makes for these drafts, never hand-made.
"use strict";

const { test, before, after, describe } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { ADDIN, startService } = require("../testlib/outlook");

const SIGNATURE = "<p>С уважением,<br>Пётр Сидоров<br>менеджер по продажам<br>Альфа Солар<br>+7 495 123-45-67</p>";
// An Outlook reply: the new text with formatting, the signature, and the quoted history under Outlook's header.
// The quote says «осуществить поставку» too: the edit must land in the new text, never in the quote.
const QUOTE = "<div id=\"divRplyFwdMsg\"><b>От:</b> Иван Петров &lt;ivan@client.ru&gt;<br><b>Отправлено:</b>" +
  " 1 декабря 2025 г.<br><b>Тема:</b> Панели</div><div><p>Пётр, когда вы сможете осуществить поставку 40 панелей?" +
  "</p></div>";
const BODY = "<html><head><style>p { margin: 0; }</style></head><body><p>Добрый день, Иван!</p>" +
  "<p>Хочу сообщить, что мы <b>готовы</b> осуществить&nbsp;поставку <span style=\"color:#1f4e79\">40 солнечных" +
  " панелей</span> в кратчайшие сроки. Пришлите, пожалуйста, реквизиты до пятницы, 5 декабря.</p>" +
  SIGNATURE + QUOTE + "</body></html>";

function loadRewrite() {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(path.join(ADDIN, "rewrite.js"), "utf-8"), context, { filename: "rewrite.js" });
  return context;
}

const tags = (html) => html.match(/<[^>]+>/g);
const squeeze = (text) => text.replace(/\s+/g, " ").trim();

describe("the shorter version applied to the body", () => {
  let service;
  const { mailLintRewriteBody } = loadRewrite();
  const check = async (draft) => {
    const response = await fetch(`${service.baseUrl}/v1/check?save=false`, {
      method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${service.token}` },
      body: JSON.stringify({ subject: "Поставка 40 солнечных панелей", to: ["Иван Петров <ivan@client.ru>"], ...draft }),
    });
    assert.equal(response.status, 200);
    return response.json();
  };
  // Greeting + body; the verdict's offsets count code points, so slice the text's code points.
  const writing = (verdict) => {
    const spans = [verdict.parts.greeting, verdict.parts.body].filter(Boolean);
    return Array.from(verdict.text).slice(Math.min(...spans.map((s) => s[0])), Math.max(...spans.map((s) => s[1])))
      .join("");
  };

  before(async () => { service = await startService(); });
  after(async () => { if (service) await service.stop(); });

  test("an HTML reply: the edits land in the new text; formatting, signature and quote stay", async () => {
    const verdict = await check({ html: BODY });
    const { edits } = verdict.rewrite;
    assert.ok(edits.length >= 2, `the service shortens this draft: ${JSON.stringify(verdict.rewrite)}`);
    const result = mailLintRewriteBody(BODY, true, verdict.text, edits);
    assert.equal(result.unfound, undefined);
    const html = result.body;
    assert.deepEqual(tags(html), tags(BODY), "every tag kept, in order");
    assert.ok(html.endsWith(SIGNATURE + QUOTE + "</body></html>"), "signature and quoted history untouched");
    assert.ok(html.includes("<span style=\"color:#1f4e79\">40 солнечных панелей</span>"));
    // What the service now reads in the new text is the shorter version it offered.
    const again = await check({ html });
    assert.equal(squeeze(writing(again)), squeeze(verdict.rewrite.text));
    assert.ok(again.stats.removable_words < verdict.stats.removable_words,
      `${again.stats.removable_words} removable words left of ${verdict.stats.removable_words}`);
  });

  test("a plain-text body becomes the text before, the shorter version, and the text after", async () => {
    // The emoji is two UTF-16 units and one code point (the verdict's offsets count code points).
    const text = "Добрый день, Иван! 🙂\n\nХочу сообщить, что мы готовы осуществить поставку 40 солнечных панелей." +
      " Пришлите, пожалуйста, реквизиты до пятницы, 5 декабря.\n\nС уважением,\nПётр Сидоров\n" +
      "менеджер по продажам\nАльфа Солар\n+7 495 123-45-67";
    const verdict = await check({ text });
    assert.ok(verdict.rewrite.edits.length >= 2);
    const result = mailLintRewriteBody(text, false, verdict.text, verdict.rewrite.edits);
    const start = text.indexOf(writing(verdict));
    assert.equal(result.body,
      text.slice(0, start) + verdict.rewrite.text + text.slice(start + writing(verdict).length));
  });

  test("a fragment the manager typed again after the check: nothing is applied, the fragment is named", async () => {
    const verdict = await check({ html: BODY });
    const typedOn = BODY.replace("реквизиты до пятницы", "реквизиты, чтобы осуществить поставку, до пятницы");
    const result = mailLintRewriteBody(typedOn, true, verdict.text, verdict.rewrite.edits);
    assert.equal(result.body, undefined);
    assert.equal(result.unfound, "осуществить поставку");
  });

  test("a fragment the manager deleted after the check: nothing is applied", async () => {
    const verdict = await check({ html: BODY });
    const deleted = BODY.replace("Хочу сообщить, что мы", "Мы");
    const result = mailLintRewriteBody(deleted, true, verdict.text, verdict.rewrite.edits);
    assert.equal(result.body, undefined);
    assert.ok(result.unfound);
  });
});
