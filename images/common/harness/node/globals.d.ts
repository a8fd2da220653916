// The unit-test harness's globals for TypeScript: Node's assert module as a
// global, as runner.js provides it (describe/it come from @types/mocha).
declare var assert: typeof import("assert");
