// The "report" export: the comparison charts (PNG, SVG and PDF each) and the
// study's table for the same runs (Markdown, CSV, LaTeX) written together
// into one folder, with an index.md that shows them.
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

#include "vidrnn/store.h"

namespace vidrnn::ui {

class CompareView;

// Returns "" on success, else the first error (naming the file). `written`
// receives the files written.
QString exportReport(const QString& folder, CompareView* compare, QStringList* written = nullptr);

}  // namespace vidrnn::ui
