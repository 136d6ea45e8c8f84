// The run's JSON, defined once for everything that writes it (the CLI's
// runs list --json and runs show --json; the workbench or a script may emit
// the same): keys in sorted order, snake_case, null where a value was not
// recorded, names that are not valid UTF-8 written with U+FFFD.
#pragma once

#include <iosfwd>
#include <string>

#include "vidrnn/store.h"

namespace vidrnn {

// One run's record (the runs table: no epochs, classes or predictions) as an
// object, indented as an element of a top-level array of runs (two spaces).
std::string runJson(const RunRecord& run);

// The runs the query selects as a JSON array (the text an array of runJson
// documents indented by two spaces is), written one run at a time: memory
// stays flat however many runs the store holds.
void writeRunsJson(const RunStore& store, const RunQuery& query, std::ostream& out);

// One run with everything the store holds of it: the record, its config,
// epochs, class metrics, confusion matrix, early curve, order diagnostics per
// class, data set fingerprint and the number of predictions (the predictions
// themselves with withPredictions); indented by two spaces, no final newline.
std::string runDetailsJson(const RunStore& store, const RunRecord& run, bool withPredictions);

}  // namespace vidrnn
