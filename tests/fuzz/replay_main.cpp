// Replays committed fuzz seeds in the normal build, without libFuzzer or clang: every regular file in the
// directories named on the command line goes once through the target's LLVMFuzzerTestOneInput, in name order.
// A violated property aborts inside the target (its FUZZ_CHECK), as does a crash, so the ctest fails; so does a
// directory without seeds, since replaying nothing proves nothing.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
        return 2;
    }
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        std::error_code error;
        std::vector<std::filesystem::path> seeds;
        for (const auto& entry : std::filesystem::directory_iterator(argv[i], error)) {
            if (entry.is_regular_file())
                seeds.push_back(entry.path());
        }
        if (error) {
            std::fprintf(stderr, "cannot read %s: %s\n", argv[i], error.message().c_str());
            return 1;
        }
        std::sort(seeds.begin(), seeds.end());
        for (const auto& seed : seeds) {
            std::ifstream file(seed, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
            if (!file.eof() && file.fail()) {
                std::fprintf(stderr, "cannot read %s\n", seed.c_str());
                return 1;
            }
            // Named before it runs, so a crash or a violated property shows which seed it was.
            std::fprintf(stderr, "%s (%zu bytes)\n", seed.filename().c_str(), bytes.size());
            std::fflush(stderr);
            // Like libFuzzer, never a null pointer, also for an empty input.
            static const uint8_t empty = 0;
            LLVMFuzzerTestOneInput(bytes.empty() ? &empty : reinterpret_cast<const uint8_t*>(bytes.data()),
                                   bytes.size());
            ++replayed;
        }
    }
    if (replayed == 0) {
        std::fprintf(stderr, "no seeds found: nothing was replayed\n");
        return 1;
    }
    std::printf("%zu seed(s) replayed, no property violated\n", replayed);
    return 0;
}
