#pragma once

// Defaults and bounds that the settings (account layer) and the workflows (ops layer) both use: they live here, below
// both, so that no layer reads a layer above it.
namespace Limits {
// Requests in flight at once in a batch: 32 is what one HTTP/2 connection carries at once with room to spare (Qt
// takes 100 streams, servers offer 100 or more), six managers' worth over HTTP/1.1; more would mostly meet the
// organization's rate limit sooner (README).
constexpr int defaultConcurrency = 4;
constexpr int maxConcurrency = 32;
// How long a batch watches a job that is being cancelled, at most.
constexpr int defaultWatchSeconds = 120;
// How long a batch watches a cancelled batch job, at most: OpenAI's stays "cancelling" for up to 10 minutes.
constexpr int defaultBatchWatchSeconds = 11 * 60;
// How many jobs of an account a list reads at most.
constexpr int defaultListCap = 1000;
} // namespace Limits
