// runs list | show | delete | annotate, and report: browsing the run store.
// Everything here is presentation; the rules (which store, what a report
// groups) live in the engine so the GUI follows the same ones.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <string_view>
#include <type_traits>

#include "commands.h"
#include "vidrnn/backbones.h"
#include "vidrnn/compare.h"
#include "vidrnn/errors.h"
#include "vidrnn/report.h"
#include "vidrnn/runjson.h"
#include "vidrnn/store.h"
#include "vidrnn/table.h"
#include "vidrnn/textwidth.h"

namespace vidrnn::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reading commands fall back to a read-only connection on a store they may
// not write (a shared results folder), rather than refusing to show it.
RunStore openStore(const Globals& globals, bool forWriting,
                   RunStore::Options options = RunStore::Options{}) {
    const std::string path = resolveStorePath(globals.db);
    std::error_code ec;
    if (!forWriting && fs::is_regular_file(path, ec)) {
        fs::path folder = fs::path(path).parent_path();
        if (folder.empty())
            folder = ".";
        if (access(path.c_str(), W_OK) != 0 || access(folder.c_str(), W_OK) != 0) {
            options.mode = RunStore::OpenMode::ReadOnly;
        }
    } else if (!forWriting && options.mode == RunStore::OpenMode::ReadWrite) {
        // A server store: only the server knows whether this role may write.
        try {
            return RunStore::open(path, options);
        } catch (const StoreError& writable) {
            options.mode = RunStore::OpenMode::ReadOnly;
            try {
                return RunStore::open(path, options);
            } catch (const StoreError&) {
                throw writable;  // the first reason is the one to show
            }
        }
    }
    return RunStore::open(path, options);
}

// `store check`: every page read, every index compared with its table.
void runStoreCheck(const Globals& globals) {
    RunStore::Options options;
    options.integrityCheck = RunStore::Options::Check::Always;  // before any migration
    options.maintain = false;
    auto store = openStore(globals, false, options);
    const auto problems = store.checkIntegrity();
    if (!problems.empty()) {
        std::string list;
        for (const auto& p : problems)
            list += "\n  " + p;
        throw StoreError(store.path(), "the store is damaged (integrity check found " +
                                           std::to_string(problems.size()) +
                                           (problems.size() == 1 ? " problem):" : " problems):") +
                                           list);
    }
    std::cout << store.path() << ": ok (integrity check passed, " << store.countRuns(RunQuery{})
              << " runs)\n";
}

std::string fixed(const std::optional<double>& value, int decimals) {
    if (!value)
        return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *value);
    return buffer;
}

// Columns padded to their widest cell (the engine's text table), numbers
// right-aligned, no rule under the header.
Table textTable(std::vector<std::string> header, const std::vector<bool>& rightAligned) {
    Table table(std::move(header));
    for (bool right : rightAligned)
        table.align.push_back(right ? Table::Align::Right : Table::Align::Left);
    table.textRule = false;
    return table;
}

void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& rightAligned) {
    Table table = textTable(header, rightAligned);
    for (const auto& row : rows)
        table.addRow(row);
    std::cout << renderTable(table, TableFormat::Text);
}

struct ListOptions {
    bool json = false;
    bool all = false;
    std::string status, arch, protocol;
    std::optional<std::int64_t> sweep;
    int limit = 0;
};

std::string cell(const std::optional<int>& v) {
    return v ? std::to_string(*v) : "-";
}

void runList(const Globals& globals, const ListOptions& o) {
    auto store = openStore(globals, false);
    RunFilter filter;
    if (!o.status.empty())
        filter.status = runStatusFromString(o.status);
    // The study's rows are not runs of yours: shown on request only.
    if (!o.all && filter.status != RunStatus::Reference)
        filter.kind = RunKind::Trained;
    filter.arch = o.arch;
    filter.protocol = o.protocol;
    filter.sweepId = o.sweep;
    RunQuery query;
    query.filter = filter;
    query.limit = o.limit;
    query.descending = o.limit > 0;  // the newest N
    query.withoutConfigJson = true;  // neither form prints it
    query.withoutConfig = true;      // nor any training setting
    if (o.json) {
        writeRunsJson(store, query, std::cout);
        return;
    }
    query.withoutClassNames = true;  // the table does not print them
    Table table = textTable(
        {"id", "status", "arch", "hidden", "layers", "precision", "protocol", "fold", "seed",
         "accuracy", "macro F1", "created", "note / message"},
        {true, false, false, true, true, false, false, true, true, true, true, false, false});
    store.forEachRun(query, [&table](const RunRecord& r) {
        const std::string_view created = std::string_view(r.createdAt).substr(0, 16);
        table.addRow({std::to_string(r.id), toString(r.status), r.arch, std::to_string(r.hidden),
                      std::to_string(r.layers), r.precision.empty() ? "-" : r.precision,
                      r.leaking ? r.protocol + " (leaking)" : r.protocol, cell(r.fold),
                      cell(r.seed), fixed(r.accuracy, 3), fixed(r.macroF1, 3), created,
                      !r.note.empty() ? r.note : r.message});
    });
    if (table.rowCount() == 0) {
        std::cout << "no runs in " << store.path() << '\n';
        return;
    }
    std::cout << renderTable(table, TableFormat::Text);
}

void printRun(const RunStore& store, const RunRecord& r) {
    const auto esc = [](const std::string& text) { return escapeControl(text); };
    std::cout << "run " << r.id << "  " << toString(r.status) << " (" << toString(r.kind) << ")\n"
              << "  created " << esc(r.createdAt) << "  started "
              << (r.startedAt.empty() ? "-" : esc(r.startedAt)) << "  finished "
              << (r.finishedAt.empty() ? "-" : esc(r.finishedAt)) << '\n';
    if (!r.note.empty())
        std::cout << "  note: " << esc(r.note) << '\n';
    if (!r.message.empty())
        std::cout << "  message: " << esc(r.message) << '\n';

    std::cout << "\nconfig\n";
    json config = json::parse(r.configJson.empty() ? "null" : r.configJson, nullptr, false);
    if (config.is_object()) {
        for (auto it = config.begin(); it != config.end(); ++it) {
            std::cout << "  " << esc(it.key()) << " = "
                      << esc(it->is_string() ? it->get<std::string>() : it->dump()) << '\n';
        }
    } else {
        std::cout << "  arch = " << esc(r.arch) << "\n  hidden = " << r.hidden
                  << "\n  layers = " << r.layers << '\n';
    }
    std::cout << "  protocol " << esc(r.protocol)
              << (r.leaking ? " (leaking: clip-level random split)" : "")
              << (r.kind == RunKind::Trained ? ", fold " + cell(r.fold) + ", seed " + cell(r.seed)
                                             : std::string())
              << '\n'
              << "  backbone " << esc(backboneLabel(r.backbone, r.pretrained))
              << (r.backboneId.empty() ? "" : " [" + esc(r.backboneId) + "]") << ", device "
              << (r.device.empty() ? "-" : esc(r.device)) << ", precision "
              << (r.precision.empty() ? "-" : esc(r.precision)) << ", params " << r.params << '\n';
    if (r.kind == RunKind::Trained) {
        std::cout << "  owner " << esc(r.ownerHost) << ':' << (r.ownerPid ? *r.ownerPid : 0)
                  << ", heartbeat " << esc(r.heartbeatAt)
                  << (r.sweepId ? ", sweep " + std::to_string(*r.sweepId) : "") << '\n';
    }

    auto seconds = [](const std::optional<double>& v) { return v ? fixed(v, 1) + " s" : "-"; };
    std::cout << "\nresults\n  accuracy " << fixed(r.accuracy, 4) << "  macro F1 "
              << fixed(r.macroF1, 4) << "  test clips "
              << (r.testCount ? std::to_string(*r.testCount) : "-") << "  best epoch "
              << (r.bestEpoch ? std::to_string(*r.bestEpoch) : "-") << "  train "
              << seconds(r.trainSeconds) << "  extract " << seconds(r.extractSeconds) << '\n';

    if (const auto order = store.orderDiagnostics(r.id)) {
        std::cout << "\norder (the test clips again, frames reversed and shuffled)\n"
                  << "  reversed accuracy " << fixed(order->reversedAccuracy, 4) << "  macro F1 "
                  << fixed(order->reversedMacroF1, 4) << "\n  shuffled accuracy "
                  << fixed(order->shuffledAccuracy, 4) << "  macro F1 "
                  << fixed(order->shuffledMacroF1, 4) << "\n  order reliance "
                  << fixed(order->reliance(), 4) << " (accuracy - shuffled accuracy; "
                  << fixed(order->seconds, 2) << " s)\n";
        if (const auto& f = order->shuffledFlips) {
            const auto ci = clipRelianceInterval(r.testCount, f->lost, f->gained);
            std::cout << "  shuffled, clip by clip: " << f->lost << " right in order turned wrong, "
                      << f->gained << " wrong turned right; reliance 95% CI over the clips "
                      << (ci ? "[" + fixed(ci->first, 3) + ", " + fixed(ci->second, 3) + "]"
                             : std::string("-"))
                      << '\n';
        }
        if (const auto& f = order->reversedFlips) {
            std::cout << "  reversed, clip by clip: " << f->lost << " right in order turned wrong, "
                      << f->gained << " wrong turned right\n";
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : order->perClass) {
            const std::string name = std::size_t(c.index) < r.classNames.size()
                                         ? r.classNames[std::size_t(c.index)]
                                         : std::string();
            rows.push_back({std::to_string(c.index), name, std::to_string(c.support),
                            fixed(c.recall, 3), fixed(c.reversedRecall, 3),
                            fixed(c.shuffledRecall, 3), fixed(c.reliance(), 3)});
        }
        if (!rows.empty()) {
            printTable({"#", "class", "support", "recall", "reversed", "shuffled", "reliance"},
                       rows, {true, false, true, true, true, true, true});
        }
    } else if (r.kind == RunKind::Trained) {
        std::cout << "\norder\n  unknown (stored before order diagnostics, or not completed)\n";
    }
    std::cout << "\nprovenance\n";
    for (const auto& [key, value] : provenanceFields(r.provenance)) {
        std::cout << "  " << key << std::string(key.size() < 10 ? 10 - key.size() : 1, ' ') << value
                  << '\n';
    }

    const auto classes = store.classMetrics(r.id);
    if (!classes.empty()) {
        std::cout << "\nper class\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : classes) {
            const auto& m = c.metrics;
            rows.push_back({std::to_string(c.index), c.name, std::to_string(m.support),
                            std::to_string(m.predicted), std::to_string(m.truePositives),
                            fixed(m.precision, 3), fixed(m.recall, 3), fixed(m.f1, 3)});
        }
        printTable({"#", "class", "support", "predicted", "tp", "precision", "recall", "F1"}, rows,
                   {true, false, true, true, true, true, true, true});
    }
    const auto matrix = store.confusion(r.id);
    if (!matrix.empty()) {
        std::cout << "\nconfusion (rows: truth, columns: predicted)\n";
        std::vector<std::string> header{"truth \\ predicted"};
        std::vector<bool> right{false};
        for (size_t p = 0; p < matrix.size(); ++p) {
            header.push_back(std::to_string(p));
            right.push_back(true);
        }
        std::vector<std::vector<std::string>> rows;
        for (size_t t = 0; t < matrix.size(); ++t) {
            std::string name = t < r.classNames.size() ? r.classNames[t] : "";
            std::vector<std::string> row{std::to_string(t) + (name.empty() ? "" : " " + name)};
            for (auto count : matrix[t])
                row.push_back(std::to_string(count));
            rows.push_back(row);
        }
        printTable(header, rows, right);
    }
    const auto epochs = store.epochs(r.id);
    if (!epochs.empty()) {
        std::cout << "\nepochs\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto& e : epochs) {
            rows.push_back({std::to_string(e.epoch), fixed(e.trainLoss, 4), fixed(e.trainAcc, 3),
                            fixed(e.valLoss, 4), fixed(e.valAcc, 3), fixed(e.valMacroF1, 3),
                            fixed(e.seconds, 1), fixed(e.lr, 6)});
        }
        printTable(
            {"epoch", "train loss", "train acc", "val loss", "val acc", "val F1", "seconds", "lr"},
            rows, std::vector<bool>(8, true));
    }
    const auto curve = store.earlyCurve(r.id);
    if (!curve.empty()) {
        std::cout << "\nearly classification (test accuracy having seen the first k of T "
                     "frames)\n";
        std::vector<std::vector<std::string>> rows;
        for (std::size_t k = 0; k < curve.size(); ++k) {
            rows.push_back(
                {std::to_string(k + 1), fixed(curve[k].fraction, 3), fixed(curve[k].accuracy, 3)});
        }
        printTable({"k", "fraction", "accuracy"}, rows, std::vector<bool>(3, true));
    }
}

struct ShowOptions {
    std::int64_t id = 0;
    bool json = false;
    bool predictions = false;
};

void runShow(const Globals& globals, const ShowOptions& o) {
    auto store = openStore(globals, false);
    auto run = store.getRun(o.id);
    if (!run) {
        throw StoreError(store.path(), "run " + std::to_string(o.id) + " does not exist");
    }
    if (o.json) {
        printJsonText(runDetailsJson(store, *run, o.predictions));
    } else {
        printRun(store, *run);
    }
}

struct ReportCliOptions {
    std::string format = "table";
    bool json = false;
    bool noReference = false;
    std::optional<std::int64_t> sweep;
    std::string protocol;
    std::string output;
    std::string pairs;       // "" | all | best
    std::string rowA, rowB;  // compare
};

void writeOut(const std::string& text, const std::string& output, const char* what) {
    if (output.empty()) {
        // Store text may hold terminal escapes; the escapes are JSON's, so
        // a JSON document means the same (CSV and Markdown keep their lines).
        std::cout << escapeControl(text, /*keepLines=*/true);
        return;
    }
    std::ofstream out(output, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        throw Error(output, std::string("cannot write the ") + what);
    }
}

// The report of the runs the options select, as `report` prints it.
Report loadReport(const Globals& globals, const ReportCliOptions& o) {
    auto store = openStore(globals, false);
    // Only the runs a report counts (completed ones of yours), without the
    // column it never reads.
    RunQuery measured;
    measured.filter.kind = RunKind::Trained;
    measured.filter.status = RunStatus::Completed;
    measured.filter.sweepId = o.sweep;
    measured.filter.protocol = o.protocol;
    measured.withoutConfigJson = true;
    measured.withoutClassNames = true;
    ReportOptions options;
    options.includeReference = !o.noReference;
    // Streamed: each run is reduced to what its row needs as it is read, so
    // that 50,000 runs are never held as whole records.
    ReportBuilder builder(options);
    store.forEachRun(measured, [&builder](const RunRecord& r) { builder.add(r); });
    if (options.includeReference) {
        RunQuery reference;
        reference.filter.kind = RunKind::Reference;
        reference.withoutConfigJson = true;
        reference.withoutClassNames = true;
        store.forEachRun(reference, [&builder](const RunRecord& r) { builder.add(r); });
    }
    Report report = builder.finish();
    RunQuery failed = measured;
    failed.filter.status = RunStatus::Failed;
    noteFailedRuns(report, store.queryRuns(failed));
    addClassOrder(report, store);
    return report;
}

void runReport(const Globals& globals, const ReportCliOptions& o) {
    const ReportFormat format = o.json ? ReportFormat::Json : reportFormatFromString(o.format);
    const Report report = loadReport(globals, o);
    std::string text = formatReport(report, format);
    if (!o.pairs.empty()) {
        const auto pairs = o.pairs == "best" ? compareAgainstBest(report) : compareAllPairs(report);
        const std::string table = formatComparisons(pairs, format);
        if (format == ReportFormat::Json) {
            // One document: the report's with the comparisons beside its rows.
            auto doc = nlohmann::json::parse(text);
            auto cmp = nlohmann::json::parse(table);
            doc["comparisons"] = cmp["comparisons"];
            doc["comparison_notes"] = cmp["notes"];
            text = doc.dump(2) + "\n";
        } else {
            text += "\n" + table;
        }
    }
    writeOut(text, o.output, "report");
}

// --format, --json, --sweep, --protocol, -o: report and compare alike.
void addTableOptions(CLI::App* cmd, ReportCliOptions& o) {
    cmd->add_option("--format", o.format, "table|markdown|csv|latex|json")
        ->check(CLI::IsMember({"table", "markdown", "csv", "latex", "json"}));
    cmd->add_flag("--json", o.json, "same as --format json");
    cmd->add_option("--sweep", o.sweep, "only the runs of this sweep");
    cmd->add_option("--protocol", o.protocol, "only runs with this split protocol");
    cmd->add_option("-o,--output", o.output, "write to this file instead of stdout");
}

void runCompare(const Globals& globals, const ReportCliOptions& o) {
    const ReportFormat format = o.json ? ReportFormat::Json : reportFormatFromString(o.format);
    const Report report = loadReport(globals, o);
    const ReportRow& a = findReportRow(report, o.rowA);
    const ReportRow& b = findReportRow(report, o.rowB);
    if (&a == &b) {
        throw ConfigError("'" + o.rowA + "' and '" + o.rowB + "' are the same row (" + a.id + ")");
    }
    writeOut(formatComparisons({comparePaired(a, b)}, format), o.output, "comparison");
}

void addRunsGroup(CLI::App& app, Globals& globals) {
    auto* runs = app.add_subcommand("runs", "list, show, delete or annotate stored runs");
    runs->require_subcommand(1);

    auto list = std::make_shared<ListOptions>();
    auto* listCmd = runs->add_subcommand("list", "list runs (yours; --all adds the study's rows)");
    listCmd->add_flag("--json", list->json, "print a JSON array of runs");
    listCmd->add_option("--status", list->status,
                        "queued|running|completed|failed|cancelled|interrupted|reference");
    listCmd->add_option("--arch", list->arch, "only this architecture");
    listCmd->add_option("--protocol", list->protocol,
                        "only this split protocol (logo|groups|random)");
    listCmd->add_option("--sweep", list->sweep, "only the runs of this sweep");
    listCmd->add_option("--limit", list->limit, "only the newest N runs")
        ->check(CLI::NonNegativeNumber);
    listCmd->add_flag("--all", list->all, "include the study's reference rows");
    listCmd->callback([list, &globals] { runList(globals, *list); });

    auto show = std::make_shared<ShowOptions>();
    auto* showCmd = runs->add_subcommand(
        "show", "one run: config, metrics, per-class table, confusion matrix, epochs");
    showCmd->add_option("id", show->id, "run id")->required();
    showCmd->add_flag("--json", show->json, "print JSON");
    showCmd->add_flag("--predictions", show->predictions,
                      "with --json: include per-clip predictions");
    showCmd->callback([show, &globals] { runShow(globals, *show); });

    auto deleteId = std::make_shared<std::int64_t>(0);
    auto* deleteCmd = runs->add_subcommand("delete", "delete a run with its epochs and results");
    deleteCmd->add_option("id", *deleteId, "run id")->required();
    deleteCmd->callback([deleteId, &globals] {
        auto store = openStore(globals, true);
        store.deleteRun(*deleteId);
        std::cout << "deleted run " << *deleteId << '\n';
    });

    auto note = std::make_shared<std::pair<std::int64_t, std::string>>();
    auto* annotateCmd =
        runs->add_subcommand("annotate", "attach a note to a run (empty text removes it)");
    annotateCmd->add_option("id", note->first, "run id")->required();
    annotateCmd->add_option("text", note->second, "the note")->required();
    annotateCmd->callback([note, &globals] {
        auto store = openStore(globals, true);
        store.annotate(note->first, note->second);
        std::cout << "annotated run " << note->first << '\n';
    });
}

}  // namespace

void addRunCommands(CLI::App& app, Globals& globals) {
    addRunsGroup(app, globals);

    auto* storeCmd = app.add_subcommand("store", "look after the run store");
    storeCmd->require_subcommand(1);
    storeCmd
        ->add_subcommand("check",
                         "read the whole store and report damage (opening it checks only after "
                         "an unclean shutdown or before an upgrade)")
        ->callback([&globals] { runStoreCheck(globals); });
    auto copyArgs = std::make_shared<std::pair<std::string, std::string>>();
    auto* copyCmd = storeCmd->add_subcommand(
        "copy",
        "copy the finished runs of one store into another (a file or a postgresql:// URL, "
        "either way); runs already there are not copied again");
    copyCmd->add_option("SRC", copyArgs->first, "the store to copy from")->required();
    copyCmd->add_option("DST", copyArgs->second, "the store to copy into (created when missing)")
        ->required();
    copyCmd->callback([copyArgs, &globals] {
        // Both before either is opened: a refused target must not follow a
        // connection to the source.
        checkStoreUrl(copyArgs->first);
        checkStoreUrl(copyArgs->second);
        auto source = RunStore::open(copyArgs->first, RunStore::OpenMode::ReadOnly);
        auto target = RunStore::open(copyArgs->second);
        const auto counts = target.copyFrom(source);
        if (!globals.quiet) {
            std::fprintf(stderr,
                         "%s -> %s: %d runs copied, %d already there, %d still running "
                         "(left in the source)\n",
                         source.path().c_str(), target.path().c_str(), counts.copied,
                         counts.alreadyThere, counts.stillRunning);
        }
    });

    auto report = std::make_shared<ReportCliOptions>();
    auto* reportCmd = app.add_subcommand(
        "report", "the study's results table from completed runs (mean ± std over folds/seeds)");
    addTableOptions(reportCmd, *report);
    reportCmd->add_flag("--no-reference", report->noReference, "leave out the study's rows");
    reportCmd
        ->add_option("--pairs", report->pairs,
                     "after the table, paired tests on matched (fold, seed): 'all' pairs of "
                     "rows, or each row against the 'best' one; Holm-adjusted over the table")
        ->check(CLI::IsMember({"all", "best"}));
    reportCmd->callback([report, &globals] { runReport(globals, *report); });

    auto compare = std::make_shared<ReportCliOptions>();
    compare->noReference = true;
    auto* compareCmd = app.add_subcommand(
        "compare",
        "two report rows on their matched (fold, seed) pairs: mean differences of accuracy and "
        "macro F1 with 95% t intervals, Wilcoxon signed-rank and sign-flip permutation p-values");
    compareCmd->add_option("ROW_A", compare->rowA, "a row of `report` (r3) or a run id in it")
        ->required();
    compareCmd->add_option("ROW_B", compare->rowB, "the other row")->required();
    addTableOptions(compareCmd, *compare);
    // Row ids are those of `report` with the same filters.
    compareCmd->callback([compare, &globals] { runCompare(globals, *compare); });
}

}  // namespace vidrnn::cli
