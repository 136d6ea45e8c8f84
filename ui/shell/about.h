// The About box: what this program is, the versions of vidrnn, Qt, LibTorch,
// OpenCV and SQLite it runs on, and where its data goes.
#pragma once

#include <QString>

namespace vidrnn::ui {

// Rich text for the About box. `storePath` is the open run store ("" = not shown).
QString aboutText(const QString& storePath = {});

}  // namespace vidrnn::ui
