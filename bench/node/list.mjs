// The Node SDK anchor of the list figure: reads the account's jobs page by page (100 a page, the SDK's
// auto-pagination) up to LIMIT (default 10000) and prints how many it read.
import OpenAI from 'openai';

const client = new OpenAI();
const limit = Number(process.env.LIMIT || 10000);
let count = 0;
for await (const job of client.fineTuning.jobs.list({ limit: 100 })) {
  if (job.id) count++;
  if (count >= limit) break;
}
process.stdout.write(`${count} jobs\n`);
