// Writing a file in a folder other users may write (a shared feature cache, a
// checkpoint folder on shared storage): a planted symbolic link or file under
// the name we are about to write must never be followed or reused, so the
// data goes to a new file created with O_CREAT|O_EXCL|O_NOFOLLOW and is then
// renamed into place (rename(2) replaces a link at the final name itself,
// never the file it points to).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vidrnn::util {

struct ByteSpan {
    const void* data = nullptr;
    std::size_t size = 0;
};

struct WriteFailure {
    std::string path;    // the file that could not be written or moved
    std::string reason;  // e.g. "cannot create it: File exists"
};

// Writes `parts` one after the other to a new file named by `tempName()`
// (asked again, up to 100 times, while the name is taken: another writer's
// file or a planted one is left alone) and renames it to `path`. Nothing is
// left behind on failure. Returns the failure, or nullopt.
std::optional<WriteFailure> writeReplacing(const std::string& path,
                                           const std::function<std::string()>& tempName,
                                           const std::vector<ByteSpan>& parts, mode_t mode = 0644);

}  // namespace vidrnn::util
