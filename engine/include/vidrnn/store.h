// The run store keeps every training run with its settings, per-epoch
// curves, final metrics, confusion matrix and per-clip predictions, plus the
// study's published rows as read-only reference runs. One interface, two
// backends chosen by the location given to open():
//  - a file: SQLite (experiments.db by default), for one machine. The CLI
//    writes it while the GUI reads it: WAL journaling and a busy timeout let
//    both work on one file at once. Never on a network file system.
//  - postgresql://[user@]host[:port]/dbname: a PostgreSQL database shared by
//    the workers of a cluster (libpq's parameters and PG* variables apply; a
//    password only from ~/.pgpass or PGPASSWORD, never in the URL).
//
// Every failure (not a database, damaged, newer schema, read-only, locked
// too long, server unreachable) throws StoreError naming the file or server
// and the reason.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vidrnn/config.h"
#include "vidrnn/earlycurve.h"
#include "vidrnn/metrics.h"
#include "vidrnn/orderdiag.h"
#include "vidrnn/provenance.h"

namespace vidrnn {

enum class RunStatus { Queued, Running, Completed, Failed, Cancelled, Interrupted, Reference };
const char* toString(RunStatus status);
// Throws ConfigError naming the accepted values for an unknown name.
RunStatus runStatusFromString(const std::string& name);

enum class RunKind { Trained, Reference };
const char* toString(RunKind kind);

// The store the CLI and the GUI use when none is given: experiments.db in the
// working directory when it exists there (a project folder), else
// experiments.db in userDataDir() ($XDG_DATA_HOME/vidrnn or
// ~/.local/share/vidrnn), whose folder is created. Checkpoints go beside the
// store (checkpointDirFor), so they follow it.
std::string defaultStorePath();
// `given` when not empty, else defaultStorePath().
std::string resolveStorePath(const std::string& given);

// The one check of a store URL wherever one enters vidrnn (--db, the
// workbench's store dialog, sweep --slurm, store copy; RunStore::open runs it
// too): a postgresql:// URL is parsed and decoded as libpq reads it
// (PQconninfoParse, percent-encoded key names included) and refused when it
// carries a password (user:password@, password=, sslpassword=), since a URL
// lands in shell history, logs, scripts, workers' command lines and the
// store, or has no database name. Throws StoreError naming the URL (only its
// scheme when it holds a secret) and the reason; other locations pass.
// A URL of another scheme ("mysql://...") is refused too.
void checkStoreUrl(const std::string& location);
// True for a server store's URL (postgresql:// or postgres://), false for a
// file; the one test of it in vidrnn.
bool isStoreUrl(const std::string& location);

// What createRun needs beyond the TrainConfig: facts known once the run starts.
struct RunMeta {
    RunStatus status = RunStatus::Running;  // Running or Queued
    std::string device;                     // resolved, e.g. "cpu", "cuda:0"
    std::string precision = "fp32";         // resolved: "fp32" or "bf16"
    std::string backboneId;                 // hash of the backbone weights; "" = built-in
    std::string datasetFingerprint;         // datasetFingerprint() of the data it trains on
    bool pretrained = false;                // false: random init, shown as "not pretrained"
    std::vector<std::string> classNames;    // index = label
    std::int64_t params = 0;                // trainable parameters of the recurrent model
    std::optional<std::int64_t> sweepId;
    std::string checkpoint;  // where the weights will be saved
    std::string note;
    Provenance provenance;  // build, libraries, machine, threads of this run
};

struct RunRecord {
    std::int64_t id = 0;
    std::string createdAt, startedAt, finishedAt;  // ISO 8601 UTC; "" = not yet
    RunStatus status = RunStatus::Queued;
    RunKind kind = RunKind::Trained;
    // Rebuilt from the columns; configJson is the document stored verbatim.
    TrainConfig config;
    std::string configJson;
    std::string arch;
    int hidden = 0;
    int layers = 0;  // effective layers (never 0)
    std::int64_t params = 0;
    std::string device;      // resolved device
    std::string precision;   // computed in: fp32 | bf16 ("" for reference rows)
    std::string backbone;    // name or TorchScript path (config.backbone)
    std::string backboneId;  // weights hash
    // datasetFingerprint() of the data it trained on; "" for runs stored
    // before schema 6 and for reference rows.
    std::string datasetFingerprint;
    bool pretrained = false;
    std::string protocol;           // logo | groups | random; "unstated" for reference rows
    std::optional<int> fold, seed;  // empty for reference rows (the study states neither)
    bool leaking = false;           // random clip-level split: near-duplicates on both sides
    int numClasses = 0;
    std::vector<std::string> classNames;
    std::optional<double> trainSeconds, extractSeconds;
    std::optional<int> bestEpoch;
    std::optional<double> accuracy, macroF1;
    std::optional<std::int64_t> testCount;
    std::string message;  // why it failed or stopped
    std::string note;     // the user's annotation
    std::string ownerHost;
    std::optional<std::int64_t> ownerPid;  // empty for reference rows
    std::string ownerJob;                  // batch job of the owner (Slurm: job_task), "" = none
    int attempts = 0;                      // times a sweep worker claimed it
    std::string heartbeatAt;
    std::optional<std::int64_t> sweepId;
    std::string checkpoint;
    // sha256 of the checkpoint as its run wrote it (schema 8); "" for runs
    // stored before, whose checkpoint is loaded only from a path the user names.
    std::string checkpointSha256;
    // Empty fields are unknown (runs stored before schema 8, reference rows).
    Provenance provenance;
    // Order diagnostics (vidrnn/orderdiag.h): empty for runs stored before
    // schema 8, reference rows and runs not completed.
    std::optional<double> reversedAccuracy, reversedMacroF1, shuffledAccuracy, shuffledMacroF1;
    std::optional<double> orderReliance;  // accuracy - shuffled accuracy
    std::optional<double> orderSeconds;   // what the two extra test passes took
    // Clip by clip against the pass in order (vidrnn/orderdiag.h ClipFlips):
    // empty for runs stored before schema 9.
    std::optional<std::int64_t> reversedLost, reversedGained, shuffledLost, shuffledGained;
    // What the model read (TrainConfig::input: appearance | motion), also
    // when the run is read without its configuration; "" for reference rows.
    std::string input;
};

struct EpochRecord {
    int epoch = 0;  // 1-based
    double trainLoss = 0.0;
    double trainAcc = 0.0;
    std::optional<double> valLoss, valAcc, valMacroF1;  // empty without a validation set
    double seconds = 0.0;
    double lr = 0.0;
};

struct ClipPrediction {
    std::string clip;  // path of the video
    int truth = 0;
    int predicted = 0;
    std::vector<float> probabilities;  // one per class; may be empty
};

struct ClassMetricsRecord {
    int index = 0;
    std::string name;
    ClassMetrics metrics;
};

// Everything completeRun stores, written in one transaction.
struct RunResult {
    double trainSeconds = 0.0;
    double extractSeconds = 0.0;
    int bestEpoch = 0;
    std::int64_t params = 0;  // 0 keeps the value given to createRun
    Evaluation evaluation;
    std::vector<ClipPrediction> predictions;
    std::vector<EarlyPoint> earlyCurve;     // accuracy vs fraction of the clip seen
    std::string checkpoint;                 // "" keeps the value given to createRun
    std::string checkpointSha256;           // of the checkpoint's bytes as written; "" = none
    std::optional<OrderDiagnostics> order;  // the test clips reversed and shuffled
};

struct RunFilter {
    std::optional<RunStatus> status;
    std::optional<RunKind> kind;
    std::string arch;  // "" = any
    std::optional<std::int64_t> sweepId;
    std::string protocol;  // "" = any
    int limit = 0;         // 0 = all; newest first when limited
};

// What a run table sorts by; each is a column (or two) with an index behind it
// where sorting 50,000 rows by it would otherwise be a full sort.
enum class RunSort {
    Id,
    Created,
    Status,
    Arch,
    Hidden,
    Layers,
    Protocol,
    Fold,
    Seed,
    Accuracy,
    MacroF1,
    Params,
    TrainSeconds,
    Note,
    Backbone,
    BestEpoch
};

// One page (or all) of the runs matching a filter, sorted and searched by the
// store itself: a table of 50,000 runs asks for the 100 rows it shows.
struct RunQuery {
    RunFilter filter;  // exact matches; filter.limit is ignored (use limit)
    // Words, each a case-insensitive substring of some column (id, status,
    // arch, hidden, protocol, backbone, note, message); "" = any.
    std::string text;
    RunSort sort = RunSort::Id;
    bool descending = false;
    std::int64_t offset = 0;
    std::int64_t limit = 0;  // 0 = to the end
    // Leave out configJson (the largest column, which no listing prints):
    // for reads of every run, such as `runs list` and the report.
    bool withoutConfigJson = false;
    // Leave out classNames too (a JSON array parsed per row): for listings
    // that print neither, such as the `runs list` table and the report.
    bool withoutClassNames = false;
    // Leave RunRecord::config at its defaults (the columns it is rebuilt
    // from are still read into the record's own fields): for listings that
    // print no training setting, such as `runs list` and its --json.
    bool withoutConfig = false;
};

// A run that changed since a marker, or the ids that went away.
struct RunChanges {
    std::int64_t marker = 0;            // pass it to the next changesSince
    bool complete = true;               // false: the log no longer reaches back
                                        // that far; reload everything
    std::vector<std::int64_t> changed;  // inserted or updated, ascending
    std::vector<std::int64_t> removed;  // deleted, ascending
};

struct SweepRecord {
    std::int64_t id = 0;
    std::string createdAt;
    std::string spec;  // JSON as given
    std::string dataset;
    std::string status;  // running | completed | failed | cancelled | interrupted
};

// One cell of a sweep's grid, with the layers actually used (never 0).
struct GridCell {
    std::string arch;
    int hidden = 0;
    int layers = 0;
    int fold = 0;
    int seed = 0;
    bool operator==(const GridCell& o) const {
        return arch == o.arch && hidden == o.hidden && layers == o.layers && fold == o.fold &&
               seed == o.seed;
    }
};

struct CellClaim {
    enum class State {
        Completed,  // done before: skip it; runId is the completed run
        Claimed,    // runId is ours to train (a new run or a failed one reset)
        Busy,       // another live process is training it: skip it
        GaveUp,     // failed maxAttempts times: marked failed with the last reason; skip it
    };
    State state = State::Claimed;
    std::int64_t runId = 0;
    // Claimed: the claim's number for the cell (1, 2, ...; the run's
    // attempts). It is the attempt's fencing token: every write of the
    // attempt carries it, and the store refuses it once a later claim
    // took the cell (LeaseLost).
    int attempt = 0;
};

// A sweep cell as the store sees it now (sweepCellStates).
struct CellState {
    GridCell cell;
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Queued;
    int attempts = 0;
    std::string message;
    // Running or queued: whether its holder still holds it (its lease, or
    // on SQLite its live process), and the seconds until its lease runs out
    // (negative: it ran out that long ago).
    bool held = false;
    double leaseLeft = 0.0;
};

class RunStore {
public:
    enum class OpenMode { ReadWrite, ReadOnly };

    struct Options {
        OpenMode mode = OpenMode::ReadWrite;
        // How long a statement waits for another program's lock.
        std::chrono::milliseconds busyTimeout{10000};
        // A running run on another host whose heartbeat is older than this is
        // taken as interrupted (trainers beat every few seconds). On
        // PostgreSQL it is every run's lease, whatever its host: a cell whose
        // lease ran out is claimed again.
        std::chrono::seconds heartbeatTimeout{120};
        // ReadWrite only: import the reference rows and mark dead runs
        // interrupted while opening.
        bool maintain = true;
        // The integrity check reads every page (1.5 s at 50,000 runs), so it
        // runs when it is worth it: Auto = after an unclean shutdown (a
        // journal left behind by a program that died) and before a schema
        // migration. A damaged page met later still fails its statement
        // with "the store is damaged".
        enum class Check { Auto, Always, Never };
        Check integrityCheck = Check::Auto;
        // A sweep cell claimed this often without completing is given up
        // (failed, with the last attempt's reason): on either backend when
        // its last attempt failed, on PostgreSQL also when its last holder's
        // lease ran out.
        int maxAttempts = 3;
    };

    // Creates the file (ReadWrite) and upgrades an older schema.
    static RunStore open(const std::string& path, OpenMode mode = OpenMode::ReadWrite);
    static RunStore open(const std::string& path, const Options& options);
    // The schema version this program writes.
    static int schemaVersion();

    RunStore(RunStore&&) noexcept;
    RunStore& operator=(RunStore&&) noexcept;
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;
    ~RunStore();

    const std::string& path() const;
    bool readOnly() const;
    // Changes whenever another connection (another program, or another
    // RunStore on the same file) commits; never for this one's own writes.
    // Cheap (reads no table): for watching a store that others write.
    std::int64_t dataVersion() const;
    // Why open() ran the integrity check: "" (it did not), "requested",
    // "unclean shutdown" or "migration".
    const std::string& integrityCheckReason() const;
    // The full check (PRAGMA integrity_check, for `vidrnn store check`):
    // empty when the store is sound, else up to `maxProblems` problems.
    std::vector<std::string> checkIntegrity(int maxProblems = 20) const;

    const Options& options() const;

    // --- runs (one RunStore per thread; several processes may share a file)
    std::int64_t createRun(const TrainConfig& config, const RunMeta& meta);
    // Not for Completed (use completeRun) nor Reference.
    void setStatus(std::int64_t id, RunStatus status, const std::string& message = {});
    // Renews the run's lease. Throws StoreError when the run is running in
    // another process now (its lease ran out and another worker claimed it).
    void heartbeat(std::int64_t id);
    void addEpoch(std::int64_t id, const EpochRecord& epoch);
    void completeRun(std::int64_t id, const RunResult& result);

    // The writes of a claimed sweep cell's attempt (CellClaim::attempt),
    // each one transaction that first checks the attempt still holds the
    // cell and throws LeaseLost otherwise, so a worker that was frozen past
    // its lease never mixes its rows into the attempt that took over.
    // Renews the lease and records the epochs given (none: a heartbeat).
    void renewLease(std::int64_t id, int attempt, const std::vector<EpochRecord>& epochs = {});
    // Epochs not yet recorded and the results, in one transaction.
    void completeAttempt(std::int64_t id, int attempt, const std::vector<EpochRecord>& epochs,
                         const RunResult& result);
    // Ends the attempt as failed or cancelled with its reason (and the
    // epochs not yet recorded).
    void endAttempt(std::int64_t id, int attempt, RunStatus status, const std::string& message,
                    const std::vector<EpochRecord>& epochs = {});
    void annotate(std::int64_t id, const std::string& note);
    // Reference runs and running runs cannot be deleted.
    void deleteRun(std::int64_t id);
    // Running runs whose owner process is gone become Interrupted; a run still
    // alive in another process is never touched. Returns how many changed.
    int markInterrupted();

    std::vector<RunRecord> listRuns(const RunFilter& filter = {}) const;
    // Paged access for tables and streams: the page, its size, each row in
    // turn (without holding them all), the ids alone (a selection), and the
    // runs changed since a marker (0 = ever; take a marker from
    // changeMarker() before the first read).
    std::vector<RunRecord> queryRuns(const RunQuery& query) const;
    std::int64_t countRuns(const RunQuery& query) const;
    void forEachRun(const RunQuery& query,
                    const std::function<void(const RunRecord&)>& visit) const;
    std::vector<std::int64_t> runIds(const RunQuery& query) const;
    // The runs of these ids that exist, in the order given (a page of a table
    // whose ids are known).
    std::vector<RunRecord> getRuns(const std::vector<std::int64_t>& ids) const;
    std::int64_t changeMarker() const;
    RunChanges changesSince(std::int64_t marker) const;
    std::optional<RunRecord> getRun(std::int64_t id) const;
    std::vector<EpochRecord> epochs(std::int64_t id) const;
    std::vector<ClassMetricsRecord> classMetrics(std::int64_t id) const;
    std::vector<std::vector<std::int64_t>> confusion(std::int64_t id) const;  // [truth][pred]
    std::vector<ClipPrediction> predictions(std::int64_t id) const;
    // Empty for runs stored without one (before schema 6, or not completed).
    std::vector<EarlyPoint> earlyCurve(std::int64_t id) const;
    // The run's order diagnostics with their per-class recalls; empty for
    // runs stored without them (before schema 8, or not completed).
    std::optional<OrderDiagnostics> orderDiagnostics(std::int64_t id) const;
    // Every completed trained run's per-class order diagnostics with the
    // class's name, in one query (a report over a cluster's PostgreSQL store
    // asks the server once, not twice per run): visit(run id, class name,
    // class). The visitor must not use the store (a backend may not take a
    // second query while one streams).
    void forEachClassOrder(const std::function<void(std::int64_t, const std::string&,
                                                    const ClassOrder&)>& visit) const;

    // --- sweeps
    std::int64_t createSweep(const std::string& specJson, const std::string& dataset);
    void setSweepStatus(std::int64_t sweepId, const std::string& status);
    // The newest sweep on this data set whose stored spec `same` accepts,
    // created with specJson when there is none, in one transaction (one per
    // data set at a time): workers and the workbench started together, whose
    // specs may be written differently for the same grid, share one sweep.
    std::int64_t joinSweep(const std::string& specJson, const std::string& dataset,
                           const std::function<bool(const std::string& spec)>& same);
    // Sets a running sweep's final status; false (nothing changed) when it
    // was not running: of workers that finish together, one ends it.
    bool endSweep(std::int64_t sweepId, const std::string& status);
    // Every cell of the sweep that has a run, in one read that locks
    // nothing: what a worker looks at before it claims anything.
    std::vector<CellState> sweepCellStates(std::int64_t sweepId) const;
    std::vector<SweepRecord> listSweeps() const;
    std::optional<SweepRecord> getSweep(std::int64_t sweepId) const;
    std::vector<RunRecord> sweepRuns(std::int64_t sweepId) const;
    // Cells (layers effective) that already have a completed run.
    std::vector<GridCell> completedCells(std::int64_t sweepId) const;
    // For sweep --resume and sweep workers, atomically: a completed cell is
    // reported; a failed, interrupted or cancelled one (or one queued or
    // running by a dead process, or whose lease ran out) is reset and handed
    // back, unless it was claimed maxAttempts times already (then GaveUp;
    // see Options::maxAttempts);
    // one queued or running in a live process is Busy; otherwise a new run
    // is created. Never two runs per cell. A completed or given-up cell is
    // answered without a lock; on PostgreSQL a claimer never waits for
    // another (FOR UPDATE SKIP LOCKED).
    CellClaim claimCell(std::int64_t sweepId, const TrainConfig& config, const RunMeta& meta);

    // A random id given to the store when it is first opened read-write
    // (kept in the store, never copied): names its checkpoints so that two
    // stores sharing a folder never write the same file. "" for a store
    // opened read-only before it had one.
    std::string storeId() const;
    // Throws StoreError naming the store and the reason when this
    // connection cannot write (a read-only role or file): a write in a
    // transaction that is rolled back.
    void checkWritable();

    // --- copying between stores (either backend, either direction)
    struct CopyCounts {
        int copied = 0;
        int alreadyThere = 0;  // copied before: same creation time, owner and cell
        int stillRunning = 0;  // running or queued in the source: left there
    };
    // Copies the trained runs of `source` (with their sweeps, epochs and
    // results; the checkpoint paths as recorded) that this store lacks, in
    // one transaction. Ids are kept where they are free here.
    CopyCounts copyFrom(const RunStore& source);

    // --- reference
    // The study's 16 published rows as read-only reference runs, once per
    // store. Returns how many were added (0 when already there).
    int importReference();

private:
    struct Impl;
    explicit RunStore(std::unique_ptr<Impl> impl);
    void readRuns(const RunQuery& query, const std::function<void(RunRecord&&)>& take) const;
    std::unique_ptr<Impl> mImpl;
};

}  // namespace vidrnn
