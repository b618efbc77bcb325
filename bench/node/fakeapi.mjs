// A second fake of the fine-tuning API, for bench/run only: written from the API's documentation, sharing no code with
// tests/support (ftcancel-fake-api), so that a figure measured against the project's own fake can be checked against
// one that could not flatter FtCancel the same way. Node's core modules only (http, http2, worker_threads).
//
//   node fakeapi.mjs [--port 0] [--latency MS] [--jobs N] [--unfinished] [--tls-cert FILE --tls-key FILE]
//
// Plain HTTP/1.1, or with --tls-cert/--tls-key TLS offering h2 and http/1.1 by ALPN (HTTP/2 when the client takes it).
// Answers GET /v1/fine_tuning/jobs (newest first, limit 1-100, default 20, after, has_more), GET and POST .../cancel
// of /v1/fine_tuning/jobs/{id}, and GET .../events. Any ftjob-... id not seeded is a running job (an id containing
// "missing" is unknown: 404); cancelling a finished job is refused with 400 as the API does; no Bearer key is 401.
// Every answer leaves --latency ms after its request arrived, timed to the microsecond by a worker thread (Node's own
// timers count whole milliseconds of a loop clock and fire up to 1 ms early or late).
// Prints "Fake OpenAI API at URL" when listening, "TLS handshake N <protocol>" per TLS connection, and on SIGUSR2 a
// line "stats {json}" about the time since the last one: requests, connections, handshakes by protocol, most requests
// in flight at once, most streams at once on one HTTP/2 connection, when the answers left (ms after the request:
// median, 99th percentile, max), and how many POST .../cancel arrived, when the first and the last of them arrived
// and when the last answer to one left (process.hrtime, i.e. CLOCK_MONOTONIC in ns, so a driver on the same machine
// can set its own clock beside it). --unfinished seeds only jobs that have not finished (running, queued,
// validating_files), as an account where everything must be stopped.
import http from 'node:http';
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const port = Number(option('--port', '0'));
const latencyMs = Number(option('--latency', '0'));
const seedCount = Number(option('--jobs', '0'));
const certFile = option('--tls-cert', '');
const keyFile = option('--tls-key', '');
const unfinishedOnly = args.includes('--unfinished');
if (!Number.isInteger(port) || !(latencyMs >= 0) || !Number.isInteger(seedCount) || seedCount < 0
    || Boolean(certFile) !== Boolean(keyFile)) {
  process.stderr.write('fakeapi.mjs: --port N, --latency MS, --jobs N, --unfinished, --tls-cert FILE with '
    + '--tls-key FILE\n');
  process.exit(2);
}

// ---- jobs --------------------------------------------------------------------------------------------------------

const firstCreatedAt = 1721764800; // 2024-07-23 20:00 UTC
const terminal = new Set(['succeeded', 'failed', 'cancelled']);
const jobs = new Map(); // id -> {id, status, createdAt}
let newest = firstCreatedAt;
function addJob(id, status) {
  newest += 60;
  const job = { id, status, createdAt: newest };
  jobs.set(id, job);
  return job;
}
// Mostly jobs still running, some finished, spread evenly (the same order every run).
const everyStatus = [['running', 40], ['queued', 20], ['validating_files', 15], ['succeeded', 12], ['failed', 7],
  ['cancelled', 6]];
const mix = unfinishedOnly ? everyStatus.filter(([status]) => !terminal.has(status)) : everyStatus;
const weights = mix.reduce((sum, [, weight]) => sum + weight, 0);
const credit = mix.map(() => 0);
for (let n = 1; n <= seedCount; n++) {
  let pick = 0;
  for (let k = 0; k < mix.length; k++) {
    credit[k] += mix[k][1];
    if (credit[k] > credit[pick]) pick = k;
  }
  credit[pick] -= weights;
  addJob(`ftjob-node${String(n).padStart(6, '0')}`, mix[pick][0]);
}
let newestFirst = null; // the seeded ids, newest first; rebuilt when a job is added on demand

function jobObject(job) {
  const succeeded = job.status === 'succeeded';
  const failed = job.status === 'failed';
  const auto = { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' };
  return {
    object: 'fine_tuning.job',
    id: job.id,
    model: 'gpt-4o-mini-2024-07-18',
    created_at: job.createdAt,
    finished_at: succeeded || failed ? job.createdAt + 3600 : null,
    fine_tuned_model: succeeded ? `ft:gpt-4o-mini-2024-07-18:bench-org::${job.id.slice(-8)}` : null,
    organization_id: 'org-bench',
    result_files: [],
    status: job.status,
    validation_file: null,
    training_file: 'file-bench1',
    hyperparameters: auto,
    trained_tokens: succeeded ? 4096 : null,
    integrations: [],
    seed: 7,
    estimated_finish: job.status === 'running' ? job.createdAt + 7200 : null,
    user_provided_suffix: null,
    metadata: null,
    method: { type: 'supervised', supervised: { hyperparameters: auto } },
    error: failed ? { code: 'invalid_training_file', message: 'The training file is not valid JSONL.',
      param: 'training_file' } : null,
  };
}

function apiError(status, message, type, param = null, code = null) {
  return [status, { error: { message, type, param, code } }];
}

function findJob(id) {
  let job = jobs.get(id);
  if (!job && id.startsWith('ftjob-') && !id.includes('missing')) {
    job = addJob(id, 'running');
    newestFirst = null;
  }
  return job;
}

// [status, body object] for one request.
function answer(method, rawPath, headers) {
  const auth = headers.authorization || '';
  if (!auth.startsWith('Bearer ') || auth.length < 12)
    return apiError(401, "You didn't provide an API key.", 'invalid_request_error');
  const url = new URL(rawPath, 'http://fake');
  const parts = url.pathname.split('/');
  // "", "v1", "fine_tuning", "jobs"[, id[, action]]
  if (parts[1] !== 'v1' || parts[2] !== 'fine_tuning' || parts[3] !== 'jobs' || parts.length > 6)
    return apiError(404, `Invalid URL (${method} ${url.pathname})`, 'invalid_request_error');
  let limit = 20;
  if (url.searchParams.has('limit')) {
    limit = Number(url.searchParams.get('limit'));
    if (!Number.isInteger(limit) || limit < 1)
      return apiError(400, "Invalid 'limit': expected a positive integer.", 'invalid_request_error', 'limit');
    limit = Math.min(limit, 100);
  }
  const after = url.searchParams.get('after');
  if (parts.length === 4 || (parts.length === 5 && parts[4] === '')) {
    if (method !== 'GET') return apiError(404, `Invalid URL (${method} ${url.pathname})`, 'invalid_request_error');
    if (!newestFirst)
      newestFirst = [...jobs.values()].sort((a, b) => b.createdAt - a.createdAt).map((job) => job.id);
    let start = 0;
    if (after !== null) {
      const at = newestFirst.indexOf(after);
      if (at < 0) return apiError(400, `Invalid 'after': no job ${after}.`, 'invalid_request_error', 'after');
      start = at + 1;
    }
    const page = newestFirst.slice(start, start + limit).map((id) => jobObject(jobs.get(id)));
    return [200, { object: 'list', data: page, has_more: start + limit < newestFirst.length }];
  }
  let id;
  try {
    id = decodeURIComponent(parts[4]);
  } catch {
    return apiError(404, `Invalid URL (${method} ${url.pathname})`, 'invalid_request_error');
  }
  const action = parts[5] || '';
  const known = (method === 'GET' && (action === '' || action === 'events')) || (method === 'POST' && action === 'cancel');
  if (!known) return apiError(404, `Invalid URL (${method} ${url.pathname})`, 'invalid_request_error');
  const job = findJob(id);
  if (!job) return apiError(404, `Could not find fine tune: ${id}`, 'invalid_request_error', 'fine_tune_id',
    'fine_tune_not_found');
  if (action === 'cancel') {
    if (terminal.has(job.status)) return apiError(400, `Job has already completed: ${id}`, 'invalid_request_error');
    job.status = 'cancelled';
  } else if (action === 'events') {
    const events = [{ object: 'fine_tuning.job.event', id: `ftevent-${id.slice(6)}-1`, created_at: job.createdAt,
      level: 'info', message: `Created fine-tuning job: ${id}`, data: null, type: 'message' }];
    return [200, { object: 'list', data: events.slice(0, limit), has_more: false }];
  }
  return [200, jobObject(job)];
}

// ---- answers on time ---------------------------------------------------------------------------------------------

// The worker sleeps on a shared counter until the next answer is due (Atomics.wait takes fractional milliseconds)
// and posts the numbers of the answers due; the main thread writes (number, due time) into a shared ring.
const ringSize = 1 << 16;
const shared = new SharedArrayBuffer(8 + ringSize * 16);
const head = new Int32Array(shared, 0, 2); // [entries written]
const ring = new BigInt64Array(shared, 8, ringSize * 2);
const worker = new Worker(`
  const { workerData, parentPort } = require('node:worker_threads');
  const head = new Int32Array(workerData, 0, 2);
  const ring = new BigInt64Array(workerData, 8, ${ringSize} * 2);
  let read = 0;
  const pending = []; // [due ns, number], kept sorted by due
  for (;;) {
    const written = Atomics.load(head, 0);
    while (read !== written) {
      const slot = (read % ${ringSize}) * 2;
      const entry = [ring[slot + 1], ring[slot]];
      let i = pending.length;
      while (i > 0 && pending[i - 1][0] > entry[0]) i--;
      pending.splice(i, 0, entry);
      read = (read + 1) | 0;
    }
    const now = process.hrtime.bigint();
    const due = [];
    while (pending.length && pending[0][0] <= now) due.push(Number(pending.shift()[1]));
    if (due.length) parentPort.postMessage(due);
    const wait = pending.length ? Number(pending[0][0] - now) / 1e6 : Infinity;
    if (!due.length) Atomics.wait(head, 0, written, wait);
  }
`, { eval: true, workerData: shared });
worker.unref();
const waiting = new Map(); // number -> function sending the answer
let nextNumber = 0;
worker.on('message', (numbers) => {
  for (const n of numbers) {
    const send = waiting.get(n);
    waiting.delete(n);
    if (send) send();
  }
});
function at(dueNs, send) {
  if (latencyMs === 0) return send();
  const n = nextNumber++;
  waiting.set(n, send);
  const written = Atomics.load(head, 0);
  const slot = (written % ringSize) * 2;
  ring[slot] = BigInt(n);
  ring[slot + 1] = dueNs;
  Atomics.store(head, 0, (written + 1) | 0);
  Atomics.notify(head, 0);
}

// ---- the server --------------------------------------------------------------------------------------------------

const stats = { requests: 0, connections: 0, handshakes: {}, inFlight: 0, maxInFlight: 0, maxStreamsPerSession: 0,
  cancels: 0, firstCancelNs: null, lastCancelNs: null, lastCancelAnswerNs: null };
const lateness = []; // ms after the request that each answer left
let requestNumber = 0;
let handshakeCount = 0;

function onRequest(req, res) {
  const arrived = process.hrtime.bigint();
  stats.requests++;
  stats.inFlight++;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  const session = req.stream && req.stream.session;
  if (session) {
    session.benchOpen = (session.benchOpen || 0) + 1;
    stats.maxStreamsPerSession = Math.max(stats.maxStreamsPerSession, session.benchOpen);
  }
  req.resume(); // the cancel has no body; anything sent is read and dropped
  const cancel = req.method === 'POST' && req.url.endsWith('/cancel');
  if (cancel) {
    stats.cancels++;
    stats.firstCancelNs ??= Number(arrived);
    stats.lastCancelNs = Number(arrived);
  }
  req.on('end', () => {
    const [status, body] = answer(req.method, req.url, req.headers);
    const text = JSON.stringify(body);
    at(arrived + BigInt(Math.round(latencyMs * 1e6)), () => {
      stats.inFlight--;
      if (session) session.benchOpen--;
      lateness.push(Number(process.hrtime.bigint() - arrived) / 1e6);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text),
        'x-request-id': `req_node_${++requestNumber}` });
      res.end(text);
      if (cancel) stats.lastCancelAnswerNs = Number(process.hrtime.bigint());
    });
  });
}

const server = certFile
  ? http2.createSecureServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), allowHTTP1: true }, onRequest)
  : http.createServer({ keepAliveTimeout: 60000 }, onRequest);
server.on('connection', () => stats.connections++);
if (certFile) {
  server.on('secureConnection', (socket) => {
    const protocol = socket.alpnProtocol || 'http/1.1';
    stats.handshakes[protocol] = (stats.handshakes[protocol] || 0) + 1;
    process.stdout.write(`TLS handshake ${++handshakeCount} ${protocol}\n`);
  });
}

function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
}
// Each report covers what happened since the one before (bench/run asks after every run): counts and maxima start
// again, the requests still in flight stay counted.
process.on('SIGUSR2', () => {
  const sorted = lateness.splice(0).sort((a, b) => a - b);
  const late = { median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? null };
  process.stdout.write(`stats ${JSON.stringify({ ...stats, answerMs: late })}\n`);
  Object.assign(stats, { requests: 0, connections: 0, handshakes: {}, maxInFlight: stats.inFlight,
    maxStreamsPerSession: 0, cancels: 0, firstCancelNs: null, lastCancelNs: null, lastCancelAnswerNs: null });
});
process.on('SIGTERM', () => process.exit(0));

server.listen(port, '127.0.0.1', () => {
  const scheme = certFile ? 'https' : 'http';
  process.stdout.write(`Fake OpenAI API at ${scheme}://127.0.0.1:${server.address().port}/v1 (node, ${
    certFile ? 'HTTP/2 and HTTP/1.1 over TLS' : 'HTTP/1.1'})\n`);
});
