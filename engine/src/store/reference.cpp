// The study's published results (docs/methodology.md, "The reference
// study") as read-only reference runs, so every report can put measured
// numbers beside the ones they are meant to reproduce.
#include <array>
#include <cstdio>
#include <random>

#include "store/store_impl.h"

namespace vidrnn {

namespace {

struct ReferenceRow {
    const char* arch;
    int hidden;
    int layers;
    std::int64_t params;
    double trainSeconds;
    double accuracy;
    double macroF1;
};

// Copied from the report; parameter counts are exact, times are the author's.
constexpr std::array<ReferenceRow, 16> kRows{{
    {"lstm", 64, 1, 148683, 113.10, 0.64, 0.56},
    {"lstm", 128, 1, 330123, 111.45, 0.76, 0.75},
    {"lstm", 256, 1, 791307, 139.71, 0.74, 0.73},
    {"lstm", 512, 1, 2106891, 158.76, 0.76, 0.75},
    {"gru", 64, 1, 111691, 103.17, 0.77, 0.76},
    {"gru", 128, 1, 247947, 88.28, 0.77, 0.77},
    {"gru", 256, 1, 594187, 50.26, 0.78, 0.77},
    {"gru", 512, 1, 1581579, 29.94, 0.76, 0.75},
    {"deep_lstm", 64, 2, 181963, 112.87, 0.65, 0.63},
    {"deep_lstm", 128, 2, 462219, 117.41, 0.71, 0.70},
    {"deep_lstm", 256, 2, 1317643, 114.97, 0.77, 0.76},
    {"deep_lstm", 512, 2, 4208139, 100.33, 0.77, 0.76},
    {"convlstm", 64, 1, 1328075, 1778.58, 0.76, 0.74},
    {"convlstm", 128, 1, 2951051, 1292.99, 0.80, 0.78},
    {"convlstm", 256, 1, 7081739, 4197.88, 0.80, 0.79},
    {"convlstm", 512, 1, 18882059, 1346.28, 0.79, 0.78},
}};

// UCF11 class folders in label order.
const std::vector<std::string> kClasses{
    "basketball",      "biking", "diving",       "golf_swing",         "horse_riding",
    "soccer_juggling", "swing",  "tennis_swing", "trampoline_jumping", "volleyball_spiking",
    "walking"};

constexpr const char* kImportKey = "reference_import";
constexpr const char* kImportValue = "ucf11-course-report";
constexpr const char* kNote =
    "reference: UCF11 course report, results table (single run each; training time on the "
    "author's machine; split not stated)";

}  // namespace

int RunStore::importReference() {
    mImpl->requireWritable("import the reference rows");
    store::Database& db = *mImpl->db;
    auto imported = [&db] {
        store::Statement seen(db, "SELECT 1 FROM meta WHERE key = ?");
        seen.bindAll(kImportKey);
        return seen.step();
    };
    // Checked before and again under the write lock: every open calls this,
    // and only the very first should wait for the lock.
    if (imported()) {
        return 0;
    }
    store::Transaction tx(db);
    db.lockKey(0, kImportKey);  // a server: other workers opening the store now wait here
    if (imported()) {
        return 0;  // another program imported them meanwhile
    }
    const std::string now = store::nowIso();
    store::Statement st(db,
                        "INSERT INTO runs (created_at, started_at, finished_at, status, kind, "
                        "backbone, protocol, arch, hidden, layers, params, pretrained, leaking, "
                        "num_classes, class_names, train_seconds, accuracy, macro_f1, note, "
                        "heartbeat_at) VALUES (?, NULL, NULL, 'reference', 'reference', "
                        "'imagenet-cnn', 'unstated', ?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?)");
    const std::string classes = store::namesToJson(kClasses);
    for (const ReferenceRow& r : kRows) {
        st.bindAll(now, r.arch, r.hidden, r.layers, r.params, kClasses.size(), classes,
                   r.trainSeconds, r.accuracy, r.macroF1, kNote, now);
        st.run();
        st.reset();
    }
    store::Statement mark(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
    mark.bindAll(kImportKey, kImportValue);
    mark.run();
    tx.commit();
    return static_cast<int>(kRows.size());
}

namespace store {

void assignStoreId(Database& db) {
    constexpr const char* kSeen = "SELECT 1 FROM meta WHERE key = 'store_id'";
    if (Statement(db, kSeen).step()) {
        return;
    }
    std::random_device entropy;
    char id[17];
    std::snprintf(id, sizeof id, "%08x%08x", entropy(), entropy());
    Transaction tx(db);
    db.lockKey(0, "store_id");  // a server: workers opening a new store together agree on one
    if (!Statement(db, kSeen).step()) {
        Statement add(db, "INSERT INTO meta (key, value) VALUES ('store_id', ?)");
        add.bindAll(std::string(id));
        add.run();
    }
    tx.commit();
}

}  // namespace store

}  // namespace vidrnn
