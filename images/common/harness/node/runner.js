// Runs a unit-test submission (SPEC section 9) for JavaScript and TypeScript:
// solution.js holds preloaded code, the user's code and the test code in one
// module scope (as Codewars does); describe/it/before/beforeEach/after/afterEach
// are globals, `assert` (Node's) too, and require("chai") resolves to the image's copy.
//
// Descriptors (the run recipe sets them up): fd 3 is the run's real stdout and
// carries the protocol; fd 1 is the append-only capture file /tmp/.cr-stdout,
// whose contents each test's end carries, escaped, into the protocol.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");

const PROTO = 3;
const CAPTURE = "/tmp/.cr-stdout";
const OUTPUT_CAP = 4096;
const esc = (s) => String(s).replace(/\n/g, "<:LF:>");
const write = (line) => fs.writeSync(PROTO, line + "\n");

let captureFd = null;
function drain() {
  if (captureFd === null) {
    try { captureFd = fs.openSync(CAPTURE, "r+"); } catch (e) { return; }
  }
  const buf = Buffer.alloc(OUTPUT_CAP + 1);
  const n = fs.readSync(captureFd, buf, 0, buf.length, 0);
  fs.ftruncateSync(captureFd, 0);
  if (n === 0) return;
  let text = buf.subarray(0, Math.min(n, OUTPUT_CAP)).toString("utf8");
  if (n > OUTPUT_CAP) text += "\n[output truncated]\n";
  write("<OUTPUT::>" + esc(text));
}

function describeError(e) {
  if (e instanceof Error) return (e.stack || `${e.name}: ${e.message}`);
  return `thrown: ${String(e)}`;
}

// ---- collection: describe() runs its body at once, it() records --------------
function newSuite(name, parent) {
  return { name, parent, children: [], before: [], after: [], beforeEach: [], afterEach: [] };
}
const root = newSuite("", null);
let current = root;

global.describe = function describe(name, fn) {
  const suite = newSuite(String(name), current);
  current.children.push({ suite });
  const saved = current;
  current = suite;
  try { fn.call(newContext()); } finally { current = saved; }
};
global.context = global.describe;
global.it = function it(name, fn) { current.children.push({ test: { name: String(name), fn } }); };
global.specify = global.it;
global.before = (fn) => current.before.push(fn);
global.after = (fn) => current.after.push(fn);
global.beforeEach = (fn) => current.beforeEach.push(fn);
global.afterEach = (fn) => current.afterEach.push(fn);
global.describe.skip = () => {};
global.it.skip = () => {};
global.xit = () => {};
global.xdescribe = () => {};
global.assert = require("assert");

// `this` in hooks and tests, as mocha's: the run's time limit is the whole
// run's (crrun), so timeout/slow/retries are accepted and ignored.
class Pending extends Error {}
function newContext() {
  const ctx = {
    timeout() { return ctx; },
    slow() { return ctx; },
    retries() { return ctx; },
    skip() { throw new Pending("skipped"); },
  };
  return ctx;
}

// A hook or test: sync, a promise, or a `done` callback.
function call(fn, ctx) {
  if (fn.length > 0) {
    return new Promise((resolve, reject) => {
      fn.call(ctx, (err) => (err ? reject(err) : resolve()));
    });
  }
  return Promise.resolve().then(() => fn.call(ctx));
}

function isAssertion(e) {
  return e && (e.name === "AssertionError" || e instanceof require("assert").AssertionError);
}

function eachHooks(suite, kind) {
  const chain = [];
  for (let s = suite; s; s = s.parent) chain.unshift(s);
  const hooks = chain.flatMap((s) => s[kind]);
  return kind === "afterEach" ? hooks.reverse() : hooks;
}

async function runTest(suite, test) {
  drain();
  write("<IT::>" + esc(test.name));
  const ctx = newContext();
  const start = process.hrtime.bigint();
  try {
    for (const h of eachHooks(suite, "beforeEach")) await call(h, ctx);
    await call(test.fn, ctx);
    write("<PASSED::>Test Passed");
  } catch (e) {
    if (e instanceof Pending) write("<PASSED::>skipped");
    else if (isAssertion(e)) write("<FAILED::>" + esc(e.message));
    else write("<ERROR::>" + esc(describeError(e)));
  }
  try {
    for (const h of eachHooks(suite, "afterEach")) await call(h, ctx);
  } catch (e) {
    write("<ERROR::>" + esc("in afterEach: " + describeError(e)));
  }
  drain();
  write("<COMPLETEDIN::>" + (Number(process.hrtime.bigint() - start) / 1e6).toFixed(2));
}

async function runSuite(suite) {
  const start = process.hrtime.bigint();
  if (suite !== root) { drain(); write("<DESCRIBE::>" + esc(suite.name)); }
  let hooksOk = true;
  try {
    for (const h of suite.before) await call(h, newContext());
  } catch (e) {
    hooksOk = false;
    write("<ERROR::>" + esc("in before: " + describeError(e)));
  }
  if (hooksOk) {
    for (const child of suite.children) {
      if (child.suite) await runSuite(child.suite);
      else await runTest(suite, child.test);
    }
  }
  try {
    for (const h of suite.after) await call(h, newContext());
  } catch (e) {
    write("<ERROR::>" + esc("in after: " + describeError(e)));
  }
  if (suite !== root) {
    drain();
    write("<COMPLETEDIN::>" + (Number(process.hrtime.bigint() - start) / 1e6).toFixed(2));
  }
}

async function main() {
  process.env.NODE_PATH = path.join(__dirname, "node_modules");
  Module._initPaths();
  try {
    require(path.resolve(process.argv[2] || "solution.js"));
  } catch (e) {
    drain();
    write("<ERROR::>" + esc(describeError(e)));
    process.exit(1);
  }
  await runSuite(root);
  drain();
  write("<END::>");
  process.exit(0);
}

// An error thrown where no test awaits it (a timer, an unawaited promise) ends
// the run: the test it belongs to is then reported as never completed.
process.on("unhandledRejection", (e) => { throw e; });
main();
