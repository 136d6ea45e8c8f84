#include "store/sql.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace vidrnn::store {

std::int64_t Database::queryInt(const std::string& sql) {
    Statement st(*this, sql);
    return st.step() ? st.int64(0) : 0;
}

std::string Database::queryText(const std::string& sql) {
    Statement st(*this, sql);
    return st.step() ? st.text(0) : std::string();
}

std::string sqlGist(const std::string& sql) {
    std::string flat;
    for (char c : sql) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
        if (c == ' ' && !flat.empty() && flat.back() == ' ') {
            continue;
        }
        flat += c;
    }
    while (!flat.empty() && flat.front() == ' ') {
        flat.erase(flat.begin());
    }
    return flat.size() > 60 ? flat.substr(0, 57) + "..." : flat;
}

std::string nowIso() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t seconds = system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms));
    return buffer;
}

}  // namespace vidrnn::store
