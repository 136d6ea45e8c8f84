// JSON text that never throws on names from the disk: file, folder and class
// names need not be valid UTF-8 (a Latin-1 archive unpacked on Linux), and
// nlohmann::json refuses to write such bytes. They become U+FFFD instead of
// failing the whole document (and the run or scan that wanted it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vidrnn::util {

inline std::string jsonText(const nlohmann::json& doc, int indent = -1) {
    return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vidrnn::util
