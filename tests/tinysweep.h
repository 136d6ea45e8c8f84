// What the tests that run CLI sweeps on the tiny demo data share: the data
// settings (small frames on the CPU, so that a run trains in about a second)
// and the 12-cell grid the cluster tests sweep.
#pragma once

#include <QString>
#include <QStringList>

namespace vidrnn::test {

// --data DEMO at 32 px and 4 frames on the CPU with the demo's backbone,
// features cached in CACHE.
inline QStringList tinyDataArgs(const QString& demo, const QString& cache) {
    return {"--data",  demo,  "--size",   "32",  "--frames",   "4",
            "--cache", cache, "--device", "cpu", "--backbone", "resnet18"};
}

// 3 architectures x 2 sizes x 2 seeds = 12 cells.
inline const QStringList kClusterGrid = {
    "sweep",   "--archs", "lstm",    "gru",    "mean_pool", "--hidden", "8",          "16",
    "--seeds", "2",       "--split", "random", "--batch",   "2",        "--patience", "0"};
constexpr int kClusterCells = 12;

}  // namespace vidrnn::test
