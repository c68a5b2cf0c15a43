// Test support: the real mail-lint service in a child process, and Outlook as office-addin-mock objects.
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const { OfficeMockObject } = require("office-addin-mock");

const ADDIN = path.resolve(__dirname, "..");  // testlib/ sits beside launchevent.js
const REPO = path.resolve(ADDIN, "..");
const MANAGER = "ivan@alfa-solar.ru";

function python() {
  if (process.env.PYTHON) return process.env.PYTHON;
  const shared = "/work/main/.venv/bin/python";
  return fs.existsSync(shared) ? shared : "python3";
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function serviceEnv() {
  const env = { ...process.env, PYTHONUNBUFFERED: "1" };
  delete env.DATABASE_URL; // the temp config's SQLite file, never a developer's database
  delete env.MAIL_LINT_CONFIG;
  return env;
}

async function waitForHealth(baseUrl, child, output, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mail-lint serve exited ${child.exitCode}: ${output.join("")}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`mail-lint serve did not answer /healthz in ${deadlineMs} ms: ${output.join("")}`);
}

/** Starts `python -m mail_lint serve` on a free port with a temp config and SQLite store; grammar off. */
async function startService() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mail-lint-addin-"));
  const config = path.join(dir, "mail-lint.toml");
  const db = path.join(dir, "verdicts.db");
  fs.writeFileSync(config, `[store]\nurl = "sqlite:///${db}"\n\n[rules]\ndisable = ["grammar"]\n`);
  const env = serviceEnv();
  const created = execFileSync(python(), ["-m", "mail_lint", "token", "create", "--role", "manager",
    "--email", MANAGER, "--config", config], { cwd: REPO, env, encoding: "utf-8" });
  const token = created.trim().split("\n").pop().trim();
  const port = await freePort();
  const child = spawn(python(), ["-m", "mail_lint", "serve", "--host", "127.0.0.1", "--port", String(port),
    "--config", config], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  child.stdout.on("data", (d) => output.push(String(d)));
  child.stderr.on("data", (d) => output.push(String(d)));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, output, 60000);
  } catch (e) {
    child.kill();
    throw e;
  }
  return {
    baseUrl, token, output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP server that accepts connections and never answers: a hung service. */
async function startSilentServer() {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => { sockets.forEach((s) => s.destroy()); server.close(r); }),
  };
}

const ok = (value) => ({ status: "succeeded", value });

/** Outlook's Office object for a draft in compose mode, built with office-addin-mock. */
function mockOutlook(draft, settings) {
  const associated = {};
  const notices = [];
  const requests = [];
  const recipients = (list) => (list || []).map(([displayName, emailAddress]) => ({ displayName, emailAddress }));
  const asyncValue = (value) => function (...args) { args[args.length - 1](ok(value)); };
  const mock = new OfficeMockObject({
    host: "outlook",
    context: {
      displayLanguage: draft.displayLanguage || "ru-RU",
      roamingSettings: {
        get: (name) => settings[name],
        set: (name, value) => { settings[name] = value; },
        saveAsync: (callback) => callback && callback(ok(undefined)),
      },
      mailbox: {
        userProfile: { emailAddress: MANAGER, displayName: "Иван Сидоров" },
        item: {
          subject: { getAsync: asyncValue(draft.subject) },
          body: {
            getAsync: function (type, ...rest) {
              if (draft.unreadableBody) return rest[rest.length - 1]({ status: "failed", error: { message: "busy" } });
              rest[rest.length - 1](ok(type === "html" ? draft.html || "" : draft.text || ""));
            },
          },
          to: { getAsync: asyncValue(recipients(draft.to)) },
          cc: { getAsync: asyncValue(recipients(draft.cc)) },
          from: { getAsync: asyncValue({ displayName: "Иван Сидоров", emailAddress: MANAGER }) },
          getAttachmentsAsync: asyncValue(draft.attachments || []),
          notificationMessages: {
            addAsync: function (key, message, callback) {
              notices.push({ key, ...message });
              if (callback) callback(ok(undefined));
            },
          },
        },
      },
    },
    actions: { associate: (name, handler) => { associated[name] = handler; } },
    CoercionType: { Html: "html", Text: "text" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: "informationalMessage",
      ErrorMessage: "errorMessage" } },
  });
  return { mock, associated, notices, requests };
}

/**
 * Loads launchevent.js as Outlook does (a classic script with a global Office) into a fresh context and
 * runs the handler it associated with OnMessageSend; resolves with the options it completed the event with.
 */
async function send(scriptText, draft, settings, { timeoutMs = 20000, withoutFetch = false } = {}) {
  const outlook = mockOutlook(draft, settings);
  const countingFetch = (url, init) => { outlook.requests.push({ url, init }); return fetch(url, init); };
  // A runtime without fetch gets XMLHttpRequest only, the way older Outlook runtimes offer it.
  const globals = withoutFetch ? { XMLHttpRequest: xhrOver(fetch, outlook.requests) }
    : { fetch: countingFetch, AbortController };
  const context = vm.createContext({ Office: outlook.mock, ...globals, setTimeout, clearTimeout, console });
  vm.runInContext(scriptText, context, { filename: "launchevent.js" });
  const handler = outlook.associated.onMessageSendHandler;
  if (typeof handler !== "function") throw new Error("launchevent.js did not associate onMessageSendHandler");
  const completions = [];
  const options = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the handler never called event.completed")), timeoutMs);
    // Plain JSON: objects made inside the vm context have another Object prototype than the test's.
    handler({ completed: (o) => { const plain = JSON.parse(JSON.stringify(o)); completions.push(plain);
      clearTimeout(timer); resolve(plain); } });
  });
  await new Promise((r) => setTimeout(r, 50)); // a second completed() would land here
  return { options, completions, notices: outlook.notices, requests: outlook.requests };
}

/** A minimal XMLHttpRequest (open, setRequestHeader, timeout, send, onload/onerror/ontimeout) over fetch. */
function xhrOver(realFetch, requests) {
  return class XMLHttpRequest {
    constructor() { this.headers = {}; this.timeout = 0; }
    open(method, url) { this.method = method; this.url = url; }
    setRequestHeader(name, value) { this.headers[name] = value; }
    send(body) {
      const init = { method: this.method, headers: this.headers, body };
      requests.push({ url: this.url, init });
      if (this.timeout) init.signal = AbortSignal.timeout(this.timeout);
      realFetch(this.url, init).then(async (response) => {
        this.status = response.status;
        this.responseText = await response.text();
        this.onload();
      }, (error) => (error.name === "TimeoutError" ? this.ontimeout() : this.onerror()));
    }
  };
}

/** launchevent.js from disk with the base URL filled in, as the service would serve it. */
function scriptFor(baseUrl) {
  return fs.readFileSync(path.join(ADDIN, "launchevent.js"), "utf-8").split("{{BASE_URL}}").join(baseUrl);
}

module.exports = { ADDIN, MANAGER, startService, startSilentServer, freePort, send, scriptFor };
