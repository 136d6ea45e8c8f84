#include "util/safefile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vidrnn::util {

namespace {

bool writeAll(int fd, const ByteSpan& part) {
    const auto* at = static_cast<const char*>(part.data);
    std::size_t left = part.size;
    while (left > 0) {
        const ssize_t n = ::write(fd, at, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        at += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::optional<WriteFailure> writeReplacing(const std::string& path,
                                           const std::function<std::string()>& tempName,
                                           const std::vector<ByteSpan>& parts, mode_t mode) {
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        tmp = tempName();
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST) {
            return WriteFailure{tmp, std::string("cannot create it: ") + std::strerror(errno)};
        }
    }
    if (fd < 0) {
        return WriteFailure{tmp, "cannot create it: 100 temporary names in a row are taken"};
    }
    for (const ByteSpan& part : parts) {
        if (!writeAll(fd, part)) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return WriteFailure{tmp, "cannot write it: " + reason};
        }
    }
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        return WriteFailure{tmp, "cannot write it: " + reason};
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        return WriteFailure{path, "cannot move it into place: " + reason};
    }
    return std::nullopt;
}

}  // namespace vidrnn::util
