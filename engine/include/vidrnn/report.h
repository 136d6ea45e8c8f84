// The study's results table rebuilt from stored runs: one row per
// configuration, each number the mean ± sample standard deviation over that
// configuration's runs (folds, seeds), with the study's published rows beside
// them as reference rows. A row pools only runs whose whole configuration is
// equal except fold and seed (see configurationSettings); a (fold, seed) run
// more than once counts once, with its newest run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vidrnn/stats.h"
#include "vidrnn/store.h"
#include "vidrnn/table.h"

namespace vidrnn {

enum class ReportFormat { Table, Markdown, Csv, Latex, Json };
const char* toString(ReportFormat format);
// Throws ConfigError naming the accepted formats for an unknown name.
ReportFormat reportFormatFromString(const std::string& name);

// Mean and sample standard deviation (divisor n - 1) of n values, and the
// 95% t confidence interval of the mean.
struct Stat {
    double mean = 0.0;
    std::optional<double> stddev;  // empty when n < 2
    int n = 0;
    std::optional<double> ciLow, ciHigh;  // empty when n < 2
};
Stat summarize(const std::vector<double>& values);
// The interval cut to [low, high], the values the measure can take (an
// accuracy's t interval can pass 1; the part beyond holds no possible value,
// so the cut interval covers as often).
void clampInterval(Stat& s, double low, double high);

// One (fold, seed) of a row: the run that counts for it.
struct ReportMember {
    std::int64_t runId = 0;
    std::optional<int> fold, seed;
    std::optional<double> accuracy, macroF1;
    std::optional<double> orderReliance;
};

// The settings that define a run's row, every one but fold and seed, as
// (name, value) in a fixed order: data set, its fingerprint, backbone (and
// its weights), frames, image size, split, epochs, lr, batch, patience,
// weight decay, dropout, gradient clip, device kind, precision.
// Architecture, hidden size and layers are the table's own columns (layers in
// its type name) and part of the row's key, so they are not listed.
std::vector<std::pair<std::string, std::string>> configurationSettings(const RunRecord& run);

struct ReportRow {
    // "r1", "r2", ... over the measured rows in table order (the same with or
    // without the study's rows): names the row for `compare`; "ref" for the
    // study's rows.
    std::string id;
    std::string type;  // as the study names it: "LSTM", "Deep LSTM (2 layers)", ...
    std::string arch;
    int hidden = 0;
    int layers = 0;
    std::string protocol;  // logo | groups | random | unstated (reference rows)
    bool leaking = false;  // random clip-level split: inflated accuracy
    std::string backbone;  // backbone name (a path is shortened to its file name)
    bool pretrained = false;
    std::string precision;                // fp32 | bf16; "" for reference rows (not stated)
    bool reference = false;               // the study's published row, not a measurement
    std::vector<std::int64_t> runIds;     // the runs that count, one per (fold, seed)
    std::vector<std::int64_t> repeatIds;  // older runs of a (fold, seed) already counted
    std::vector<ReportMember> members;    // runIds with their fold, seed and scores
    std::vector<std::pair<std::string, std::string>> settings;  // configurationSettings
    // The settings that vary between the table's measured rows, with this
    // row's values ("epochs 15, lr 0.001"); "" when all rows agree.
    std::string differs;
    Stat params, trainSeconds, accuracy, macroF1;
    // Accuracy - shuffled accuracy (vidrnn/orderdiag.h) over the runs that
    // have it (none stored before schema 8). A row of one run has its
    // interval over the run's test clips instead (relianceOverClips; runs
    // stored from schema 9 on).
    Stat orderReliance;
    bool relianceOverClips = false;
    // Distinct builds and CPUs of the row's runs (provenance; "unknown" for
    // runs stored without it). More than one of either is noted.
    std::vector<std::string> builds, cpus;
    // Indices into Report::notes of the caveats that apply to this row (LaTeX
    // marks them as footnotes on the row).
    std::vector<std::size_t> notes;

    // "random (leaking)", "logo", ...
    std::string protocolLabel() const;
    // "resnet18 (pretrained)", "resnet18 (not pretrained)"
    std::string backboneLabel() const;
    // "reference (report)" or "measured"
    std::string sourceLabel() const;
    // precision, "-" when not stated
    std::string precisionLabel() const;
    // "1-3, 7 (repeats: 5)": the run ids, consecutive ones as ranges.
    std::string runsLabel() const;
};

// Which classes need order: per class (by name), the order reliance of the
// class's recall (recall - recall shuffled; reversed: recall - recall
// reversed), over the runs of the report's measured rows, for the models that
// read order and, apart, for the order-blind ones (mean_pool: 0 by
// construction). Each a mean over those runs with its 95% t interval.
struct ClassOrderRow {
    std::string name;
    // The data set (the report rows' "data" setting): classes of the same
    // name on different data sets are rows of their own.
    std::string data;
    std::int64_t support = 0;           // test clips of the class in one run (the largest)
    Stat shuffled, reversed;            // order-reading models
    Stat blindShuffled, blindReversed;  // order-blind models
};

struct Report {
    std::vector<ReportRow> rows;
    // Footnotes that every format prints: what ± means, what leaking and
    // "not pretrained" imply, where the reference rows come from.
    std::vector<std::string> notes;
    // Filled by addClassOrder; sorted by the order-reading models' shuffled
    // reliance, highest first. Printed after the table (not in CSV, which
    // holds one table).
    std::vector<ClassOrderRow> classOrder;
    std::vector<std::string> classOrderNotes;
};

struct ReportOptions {
    bool includeReference = true;
};

// Completed trained runs are aggregated; reference runs become reference rows
// (unless excluded); runs in any other state are left out. Rows are ordered
// as the study's table (LSTM, GRU, deep LSTM, ..., then hidden size), each
// reference row right before the measured rows of its configuration.
Report buildReport(const std::vector<RunRecord>& runs, const ReportOptions& options = {});

// Fills report.classOrder from the per-class order diagnostics `store` holds
// for the runs of the report's measured rows (runs stored before schema 8
// have none and are left out of it).
void addClassOrder(Report& report, const RunStore& store);

// Adds a footnote per failed trained run among `runs` (its cell, attempts
// and reason; the first 20, then a count): the report's rows leave them out.
void noteFailedRuns(Report& report, const std::vector<RunRecord>& runs);

// The same report from runs given one at a time (a store's stream): each run
// is reduced at once to what its row needs, so memory grows with the rows,
// not with the runs' whole records (buildReport is this over a vector).
class ReportBuilder {
public:
    explicit ReportBuilder(ReportOptions options = {});
    ~ReportBuilder();
    ReportBuilder(ReportBuilder&&) noexcept;
    ReportBuilder& operator=(ReportBuilder&&) noexcept;
    void add(const RunRecord& run);
    // The report of every run added; the builder is empty afterwards.
    Report finish();

private:
    struct Member;
    struct Impl;
    std::unique_ptr<Impl> mImpl;
};

// A single run's order reliance interval over its `clips` test clips: the
// paired 95% t interval of d = +1 per clip right in order and wrong
// shuffled (`lost`), -1 per clip the other way (`gained`), 0 otherwise.
// Empty when a count is unknown (runs stored before schema 9) or clips < 2.
std::optional<std::pair<double, double>> clipRelianceInterval(std::optional<std::int64_t> clips,
                                                              std::optional<std::int64_t> lost,
                                                              std::optional<std::int64_t> gained);

// "1-3, 7, 9-12".
std::string compactIds(std::vector<std::int64_t> ids);

// table: aligned text; markdown: a pipe table; csv: one header line, means
// and standard deviations in separate columns, undefined values empty; latex:
// a booktabs table float (\usepackage{booktabs,graphicx}) that fits the text
// width of an A4 article (scaled down only if it would not), numbers
// right-aligned, every special character escaped, caveats as footnotes under
// it; json: {"rows": [...], "notes": [...]}, undefined values null.
std::string formatReport(const Report& report, ReportFormat format);

// escapeLatex, escapeCsv, escapeMarkdown: vidrnn/table.h.

}  // namespace vidrnn
