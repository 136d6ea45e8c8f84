// Running a piece of a test as another user: root ignores file permissions,
// so read-only stores and folders only refuse writes to an ordinary user.
#pragma once

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exception>
#include <functional>
#include <string>

namespace vidrnn::test {

// In a child process that runs as root: becomes user and group nobody, with
// no supplementary groups. False when a step fails.
inline bool becomeNobody() {
    return setgroups(0, nullptr) == 0 && setgid(65534) == 0 && setuid(65534) == 0;
}

// Runs `action` in a forked child, as user nobody when `unprivileged` and we
// are root, and returns what it returned (or "exception: <what>").
inline std::string inChild(const std::function<std::string()>& action, bool unprivileged) {
    int fds[2];
    if (pipe(fds) != 0)
        return "pipe failed";
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        if (unprivileged && geteuid() == 0 && !becomeNobody()) {
            _exit(3);
        }
        std::string result;
        try {
            result = action();
        } catch (const std::exception& e) {
            result = std::string("exception: ") + e.what();
        }
        ssize_t written = write(fds[1], result.data(), result.size());
        _exit(written == ssize_t(result.size()) ? 0 : 2);
    }
    close(fds[1]);
    std::string result;
    char buffer[512];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
        result.append(buffer, size_t(n));
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return result;
}

}  // namespace vidrnn::test
