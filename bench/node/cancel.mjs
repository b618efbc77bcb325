// The Node SDK anchor: cancels the job ids given as arguments (or, with "-", read from stdin), at most
// CONCURRENCY (default 6) in flight, against OPENAI_BASE_URL. One "<id> <status>" line per job; exit 1 if any failed.
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';

const client = new OpenAI(); // OPENAI_API_KEY, OPENAI_BASE_URL
let ids = process.argv.slice(2);
if (ids.length === 1 && ids[0] === '-') ids = readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const concurrency = Number(process.env.CONCURRENCY || 6);
let next = 0;
let failed = 0;
const lines = [];
async function worker() {
  while (next < ids.length) {
    const id = ids[next++];
    try {
      const job = await client.fineTuning.jobs.cancel(id);
      lines.push(`${id} ${job.status}`);
    } catch (error) {
      failed++;
      lines.push(`${id} error ${error.status ?? 0} ${error.message}`);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
process.stdout.write(lines.join('\n') + '\n');
process.exit(failed ? 1 : 0);
