// Greedy decoding in llama.cpp (node-llama-cpp's prebuilt CPU build, loaded
// offline): evaluates a prompt given as token ids, then picks the most likely
// token N times, feeding each back, and prints one JSON object:
//
//   {"tokens": [ids...], "steps": [{"token": id, "runner_up": id, "gap": g}, ...],
//    "llama_cpp": "release", "threads": n}
//
// gap is the top-1 logit minus the runner-up's. node-llama-cpp gives no raw
// logits, only the softmax over every logit of the vocabulary (at
// temperature 0 the sampler chain is llama.cpp's greedy sampler alone, which
// neither filters nor rescales them), and ln(p1 / p2) is exactly l1 - l2.
// A test reads it to tell a near tie, where float order may pick either
// token, from a real difference.
//
// Usage: node greedy.mjs MODEL.gguf PROMPT_FILE COUNT [THREADS] [--timing]
//   PROMPT_FILE: whitespace-separated token ids (nothing is added in front:
//   no BOS unless the file starts with it). THREADS defaults to 2.
//   --timing: no probabilities (they cost a sort of the vocabulary a step);
//   the output adds prefill_s (the prompt, and its first token picked) and
//   decode_s (the COUNT - 1 steps after it), for bench/vs_llamacpp.sh.
//   node-llama-cpp is taken from $TUNE_NPM_LLAMA (default: the checkout's
//   .deps/npm-llama, where scripts/install-deps.sh puts it).
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

// Imported by path: ES modules do not search NODE_PATH, and the packages
// live outside this directory.
const here = dirname(fileURLToPath(import.meta.url));
const packages = process.env.TUNE_NPM_LLAMA || join(here, "../../../.deps/npm-llama");
const entry = createRequire(join(packages, "package.json")).resolve("node-llama-cpp");
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(entry).href);

function fail(message) {
  process.stderr.write(`greedy.mjs: ${message}\n`);
  process.exit(2);
}

const timing = process.argv.includes("--timing");
const [modelPath, promptPath, countText, threadsText = "2"] = process.argv.slice(2).filter((a) => a !== "--timing");
if (!modelPath || !promptPath || !countText) fail("usage: node greedy.mjs MODEL.gguf PROMPT_FILE COUNT [THREADS]");
const count = Number.parseInt(countText, 10);
const threads = Number.parseInt(threadsText, 10);
if (!(count > 0) || !(threads > 0)) fail("COUNT and THREADS must be positive integers");
const words = readFileSync(promptPath, "utf8").split(/\s+/).filter((word) => word !== "");
const prompt = words.map((word, index) => {
  if (!/^\d+$/.test(word)) fail(`${promptPath}: token ${index + 1} ('${word}') is not a token id`);
  return Number(word);
});
if (prompt.length === 0) fail(`${promptPath}: no token ids`);

// build "never" and skipDownload: only the prebuilt binary shipped in the
// npm package (@node-llama-cpp/linux-x64 and friends) may be used; nothing
// is compiled or fetched. gpu false: the CPU build, as tune runs.
const llama = await getLlama({
  gpu: false,
  build: "never",
  skipDownload: true,
  usePrebuiltBinaries: true,
  progressLogs: false,
  logLevel: LlamaLogLevel.error,
  maxThreads: threads,
});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({
  contextSize: prompt.length + count + 1,
  batchSize: Math.max(prompt.length, 1),
  threads,
  // tune's attention is the plain one (scores, softmax, weighted sum); flash
  // attention sums in another order and keeps other intermediates.
  flashAttention: false,
  // Dispatch a queued evaluation at once: the default waits for the next
  // event loop cycle (to gather parallel sequences), some milliseconds a
  // token that --timing would count against llama.cpp.
  batching: {dispatchSchedule: (dispatch) => queueMicrotask(dispatch)},
});
const sequence = context.getSequence();

const greedy = {token: true, probabilities: !timing, options: {temperature: 0}};
const steps = [];
const seconds = [];  // of each step: the prompt's, then each decoded token's
let input = prompt.map((token, index) => (index === prompt.length - 1 ? [token, {generateNext: greedy}] : token));
for (let step = 0; step < count; ++step) {
  const start = process.hrtime.bigint();
  const results = await sequence.controlledEvaluate(input);
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  const next = results[input.length - 1]?.next;
  if (next?.token == null) fail(`step ${step}: llama.cpp returned no token`);
  if (timing) {
    steps.push({token: next.token});
    input = [[next.token, {generateNext: greedy}]];
    continue;
  }
  if (next.probabilities == null) fail(`step ${step}: llama.cpp returned no probabilities`);
  const ranked = [...next.probabilities.entries()];  // sorted, most likely first
  const [top, topProbability] = ranked[0];
  const [runnerUp, runnerUpProbability] = ranked.length > 1 ? ranked[1] : [-1, 0];
  if (top !== next.token) fail(`step ${step}: the greedy token ${next.token} is not the most likely one (${top})`);
  steps.push({token: next.token, runner_up: runnerUp, gap: Math.log(topProbability / runnerUpProbability)});
  input = [[next.token, {generateNext: greedy}]];
}

const release = llama.llamaCppRelease.release;
const output = {tokens: steps.map((s) => s.token), steps, llama_cpp: release, threads};
if (timing) {
  output.prefill_s = seconds[0];
  output.decode_s = seconds.slice(1).reduce((sum, s) => sum + s, 0);
}
process.stdout.write(JSON.stringify(output) + "\n");
await context.dispose();
await model.dispose();
await llama.dispose();
