// The pre-send handler against the real mail-lint service (a child process, not a mock): it holds a failing
// draft with a message in the email's language, lets a clean one go, and lets mail go when it cannot check.
"use strict";

const { test, before, after, describe } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ADDIN, startService, startSilentServer, freePort, send, scriptFor } = require("../testlib/outlook");

const SIGNATURE_RU = "\n\nС уважением,\nИван Сидоров\nменеджер по продажам\nАльфа Солар\n+7 495 123-45-67";
const RU_DRAFT = {
  subject: "КП на 40 солнечных панелей для склада",
  to: [["Пётр Петров", "petr@client.ru"]],
  text: "Добрый день, Пётр!\n\nНаправляю КП во вложении. Пришлите, пожалуйста, реквизиты до пятницы." + SIGNATURE_RU,
};
const EN_DRAFT = {
  subject: "Proposal for 40 solar panels",
  to: [["Peter Smith", "peter@client.com"]],
  displayLanguage: "en-US",
  text: "Hello Peter,\n\nPlease find attached our proposal for 40 solar panels. Could you send us your company" +
    " details by Friday?\n\nBest regards,\nIvan Sidorov\nSales Manager\nAlfa Solar\n+7 495 123-45-67",
};
const PROPOSAL = { name: "КП Альфа Солар.pdf", size: 48213, isInline: false, attachmentType: "file", id: "1" };
const PANE_BUTTON = /<Control xsi:type="Button" id="([^"]+)"/.exec(
  fs.readFileSync(path.join(ADDIN, "manifest.xml"), "utf-8"))[1];

describe("against the running service", () => {
  let service;
  let script;
  before(async () => {
    service = await startService();
    // The script as Outlook gets it: served by the service, with the service's base URL filled in.
    const response = await fetch(`${service.baseUrl}/addin/launchevent.js`);
    assert.equal(response.status, 200);
    script = await response.text();
  });
  after(async () => { if (service) await service.stop(); });

  test("the served script carries the service's absolute URL and no module syntax", () => {
    assert.ok(script.includes(`baseUrl: "${service.baseUrl}"`), "base URL filled in");
    assert.ok(!script.includes("{{BASE_URL}}"));
    assert.doesNotMatch(script, /^\s*(import|export)\s/m);
  });

  test("a Russian draft that promises an attachment and has none is held, in Russian", async () => {
    const { options, completions, requests } = await send(script, RU_DRAFT, { mailLintToken: service.token });
    assert.equal(completions.length, 1);
    assert.equal(options.allowEvent, false);
    assert.match(options.errorMessage, /^mail-lint: письмо не отправлено, 1 ошибка\./);
    assert.match(options.errorMessage, /Направляю КП.*ничего не приложено/);
    assert.match(options.errorMessageMarkdown, /^\*\*mail-lint: письмо не отправлено, 1 ошибка\.\*\*\n\n- /);
    assert.ok(options.errorMessage.length <= 500 && options.errorMessageMarkdown.length <= 500);
    assert.equal(options.cancelLabel, "Открыть проверку");
    assert.equal(options.commandId, PANE_BUTTON, "the Smart Alerts dialog opens the task pane of the manifest");
    assert.deepEqual(JSON.parse(options.contextData).errors, ["forward.missing-attachment"]);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].url, `${service.baseUrl}/v1/check?save=false`);
    assert.equal(requests[0].init.headers.Authorization, `Bearer ${service.token}`);
    const posted = JSON.parse(requests[0].init.body);
    assert.deepEqual(posted.to, ["Пётр Петров <petr@client.ru>"]);
    assert.equal(posted.from, "ivan@alfa-solar.ru");
  });

  test("the same draft with the file attached goes", async () => {
    const { options, notices } = await send(script, { ...RU_DRAFT, attachments: [PROPOSAL] },
      { mailLintToken: service.token });
    assert.deepEqual(options, { allowEvent: true });
    assert.deepEqual(notices, []);
  });

  test("inline images are not attachments: a logo does not satisfy «во вложении»", async () => {
    const logo = { name: "logo.png", size: 2000, isInline: true, attachmentType: "file", id: "2" };
    const { options } = await send(script, { ...RU_DRAFT, attachments: [logo] }, { mailLintToken: service.token });
    assert.equal(options.allowEvent, false);
  });

  test("an HTML body is checked: the held message names the missing attachment", async () => {
    const html = "<html><body><p>Добрый день, Пётр!</p><p>Направляю КП во вложении. Пришлите, пожалуйста," +
      " реквизиты до пятницы.</p><p>С уважением,<br>Иван Сидоров<br>менеджер по продажам<br>Альфа Солар<br>" +
      "+7 495 123-45-67</p></body></html>";
    const { options, requests } = await send(script, { ...RU_DRAFT, html }, { mailLintToken: service.token });
    assert.equal(options.allowEvent, false);
    assert.match(options.errorMessage, /ничего не приложено/);
    assert.ok(JSON.parse(requests[0].init.body).html.includes("<p>"), "the HTML went to the service");
  });

  test("an English draft is held with an English message", async () => {
    const { options } = await send(script, EN_DRAFT, { mailLintToken: service.token });
    assert.equal(options.allowEvent, false);
    assert.match(options.errorMessage, /^mail-lint: not sent, 1 error\./);
    assert.match(options.errorMessage, /Please find attached.*nothing is attached/);
    assert.equal(options.cancelLabel, "Open the check");
  });

  test("the clean English draft goes", async () => {
    const { options } = await send(script, { ...EN_DRAFT, attachments: [{ ...PROPOSAL, name: "Proposal.pdf" }] },
      { mailLintToken: service.token });
    assert.deepEqual(options, { allowEvent: true });
  });

  test("a runtime without fetch checks through XMLHttpRequest, with the same verdict", async () => {
    const held = await send(script, RU_DRAFT, { mailLintToken: service.token }, { withoutFetch: true });
    assert.equal(held.options.allowEvent, false);
    assert.match(held.options.errorMessage, /ничего не приложено/);
    assert.equal(held.requests[0].init.headers.Authorization, `Bearer ${service.token}`);
    const clean = await send(script, { ...RU_DRAFT, attachments: [PROPOSAL] }, { mailLintToken: service.token },
      { withoutFetch: true });
    assert.deepEqual(clean.options, { allowEvent: true });
  });

  test("no token: the email goes unchecked, with a notice saying where to enter one", async () => {
    const { options, notices, requests } = await send(script, RU_DRAFT, {});
    assert.deepEqual(options, { allowEvent: true });
    assert.equal(requests.length, 0);
    assert.equal(notices.length, 1);
    assert.match(notices[0].message, /нет токена.*без проверки/);
    assert.equal(notices[0].type, "informationalMessage");
    assert.ok(notices[0].message.length <= 150);
  });

  test("an unknown token: the email goes unchecked, and the notice says why", async () => {
    const { options, notices } = await send(script, RU_DRAFT, { mailLintToken: "not-a-token" });
    assert.deepEqual(options, { allowEvent: true });
    assert.match(notices[0].message, /не проверил письмо \(unknown token\)/);
  });
});

describe("when the service cannot answer", () => {
  test("a service that is down: the email goes, and the manager is told", async () => {
    const closedPort = await freePort(); // nothing listens there
    const { options, notices, completions } = await send(scriptFor(`http://127.0.0.1:${closedPort}`), RU_DRAFT,
      { mailLintToken: "any" });
    assert.equal(completions.length, 1);
    assert.deepEqual(options, { allowEvent: true });
    assert.equal(notices.length, 1);
    assert.match(notices[0].message, /mail-lint недоступен, письмо ушло без проверки/);
  });

  test("a service that hangs: the email goes after the configured timeout, with a notice", async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const { options, notices } = await send(scriptFor(silent.baseUrl), { ...EN_DRAFT, displayLanguage: "en-GB" },
        { mailLintToken: "any", mailLintTimeoutSeconds: 1 });
      const waited = Date.now() - started;
      assert.deepEqual(options, { allowEvent: true });
      assert.match(notices[0].message, /did not answer within 1 s; the email went unchecked/);
      assert.ok(waited >= 900, `gave up after ${waited} ms, before the 1 s timeout`);
    } finally {
      await silent.stop();
    }
  });

  test("the XMLHttpRequest path has the same timeout and notice", async () => {
    const silent = await startSilentServer();
    try {
      const { options, notices } = await send(scriptFor(silent.baseUrl), RU_DRAFT,
        { mailLintToken: "any", mailLintTimeoutSeconds: 1 }, { withoutFetch: true });
      assert.deepEqual(options, { allowEvent: true });
      assert.match(notices[0].message, /не ответил за 1 с, письмо ушло без проверки/);
    } finally {
      await silent.stop();
    }
  });

  test("a draft Outlook cannot read goes unchecked, with a notice and no request", async () => {
    const { options, notices, requests } = await send(scriptFor("http://127.0.0.1:9"),
      { ...RU_DRAFT, unreadableBody: true }, { mailLintToken: "any" });
    assert.deepEqual(options, { allowEvent: true });
    assert.equal(requests.length, 0);
    assert.match(notices[0].message, /не смог прочитать письмо/);
  });

  test("the XMLHttpRequest path lets mail go when the service is down", async () => {
    const closedPort = await freePort();
    const { options, notices } = await send(scriptFor(`http://127.0.0.1:${closedPort}`), RU_DRAFT,
      { mailLintToken: "any" }, { withoutFetch: true });
    assert.deepEqual(options, { allowEvent: true });
    assert.match(notices[0].message, /mail-lint недоступен/);
  });
});
