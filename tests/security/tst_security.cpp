// Issue 23, "safe on shared machines": each way another user's rows, files
// and folders could run code, write through a link or leak a password, as
// a hostile colleague would try it, through the engine and the real vidrnn
// binary. Every case here succeeded before the fix (see SECURITY.md).
#include <QtTest>

#include "pgserver.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "badinputs.h"
#include "cliutil.h"
#include "demo/avi_writer.h"
#include "ml/checkpoint.h"
#include "util/featurefile.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/metrics.h"
#include "vidrnn/paths.h"
#include "vidrnn/report.h"
#include "vidrnn/store.h"
#include "vidrnn/textwidth.h"
#include "vidrnn/video.h"

using namespace vidrnn;
using vidrnn::test::runCli;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

void put(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

template <typename F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

// A TorchScript image model whose forward creates `marker` (torch.from_file
// with shared=True opens it O_CREAT and writes through it): what a hostile
// .pt file can do, and enough to see whether anything ran it.
void writeMarkerModel(const fs::path& path, const fs::path& marker) {
    torch::jit::Module m("Planted");
    m.define(
        "def forward(self, x):\n"
        "    t = torch.from_file(\"" +
        marker.string() +
        "\", True, 4, dtype=0)\n"  // 0: uint8
        "    t.fill_(65)\n"
        "    return torch.mean(x, [2, 3]) + torch.sum(t).float() * 0\n");
    m.save(path.string());
}

TrainConfig smallConfig(const std::string& backbone) {
    TrainConfig c;
    c.arch = "gru";
    c.hidden = 8;
    c.backbone = backbone;
    c.imageSize = 32;
    c.frames = 4;
    c.split = "random";
    return c;
}

// A checkpoint of `config` over `backbone`; returns its sha256.
std::string writeCheckpoint(const fs::path& path, const TrainConfig& config,
                            const BackboneDescription& backbone) {
    CheckpointMeta meta;
    meta.config = config;
    meta.classes = {"run", "walk"};
    meta.backbone = backbone;
    meta.inputDim = backbone.channels;
    torch::manual_seed(1);
    const auto model = buildModel(config, meta.inputDim, 2);
    return saveCheckpoint(path.string(), model, nullptr, torch::zeros({meta.inputDim}),
                          torch::ones({meta.inputDim}), meta);
}

// A completed run whose row records `checkpoint` and `sha256`.
std::int64_t addRun(RunStore& store, const TrainConfig& config, const std::string& checkpoint,
                    const std::string& sha256, const std::string& note = {}) {
    RunMeta meta;
    meta.device = "cpu";
    meta.classNames = {"run", "walk"};
    meta.checkpoint = checkpoint;
    meta.note = note;
    const auto id = store.createRun(config, meta);
    RunResult result;
    result.evaluation = evaluate({0, 1}, {0, 1}, 2);
    result.checkpoint = checkpoint;
    result.checkpointSha256 = sha256;
    store.completeRun(id, result);
    return id;
}

}  // namespace

class TestSecurity : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    fs::path mRoot;
    fs::path mClip;  // a clean 64x48 MJPG clip
    fs::path mData;  // two classes of one clip each

    fs::path at(const std::string& name) const { return mRoot / name; }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mRoot = mDir.path().toStdString();
        qunsetenv("VIDRNN_CHECKPOINTS");
        mClip = at("clip.avi");
        test::writeCleanClip(mClip.string(), 8);
        mData = at("data");
        for (const char* label : {"run", "walk"}) {
            fs::create_directories(mData / label);
            fs::copy_file(mClip, mData / label / "1.avi");
        }
    }

    // Finding 1: a store row names a checkpoint whose metadata names a
    // TorchScript backbone someone else wrote. Neither predict nor the
    // engine runs it: refused unless the user names the file.
    void storeRowNeverRunsCode() {
        const fs::path dir = at("rows");
        const fs::path marker = dir / "marker";
        const fs::path planted = dir / "planted.pt";
        fs::create_directories(dir / "checkpoints");
        writeMarkerModel(planted, marker);
        const std::string db = (dir / "experiments.db").string();
        auto store = RunStore::open(db);

        BackboneDescription evil;
        evil.name = "planted.pt";
        evil.source = planted.string();
        evil.identity = "planted.pt:0";
        evil.pretrained = true;
        evil.channels = 3;
        evil.imageSize = 32;
        const TrainConfig evilConfig = smallConfig(planted.string());
        // Everything a writer of the store and the checkpoint folder can
        // set: the path in the folder, the right sha256.
        const fs::path inFolder = dir / "checkpoints" / "run-1.pt";
        const std::string sha = writeCheckpoint(inFolder, evilConfig, evil);
        const auto id = addRun(store, evilConfig, inFolder.string(), sha);
        QCOMPARE(store.getRun(id)->checkpointSha256, sha);  // recorded (schema 8)

        const auto run = *store.getRun(id);
        const auto choice = runCheckpoint(db, run);
        PredictOptions options;
        options.expected = &run.config;
        options.checkpointSha256 = choice.sha256;
        const std::string engine =
            errorOf([&] { predictVideo(choice.path, mClip.string(), options); });
        QVERIFY2(engine.find(planted.string() + ": ") == 0, engine.c_str());
        QVERIFY2(engine.find("a .pt file is a program") != std::string::npos, engine.c_str());
        QVERIFY(!fs::exists(marker));

        const QString video = QString::fromStdString(mClip.string());
        const QString q = QString::fromStdString(db);
        auto r = runCli({"--db", q, "predict", video, "--run", QString::number(id)});
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.contains("loads it only when you name it (predict --backbone FILE)"),
                 r.err.constData());
        QVERIFY(!fs::exists(marker));

        // A checkpoint outside the store's folder, or one replaced there.
        const fs::path outside = dir / "elsewhere.pt";
        const auto moved =
            addRun(store, evilConfig, outside.string(), writeCheckpoint(outside, evilConfig, evil));
        r = runCli({"--db", q, "predict", video, "--run", QString::number(moved)});
        QVERIFY2(r.err.contains("lies outside this store's checkpoint folder"), r.err.constData());
        const fs::path replaced = dir / "checkpoints" / "run-3.pt";
        const auto swapped = addRun(store, evilConfig, replaced.string(), std::string(64, '0'));
        writeCheckpoint(replaced, evilConfig, evil);
        r = runCli({"--db", q, "predict", video, "--run", QString::number(swapped)});
        QVERIFY2(r.err.contains("differs from the one its run wrote"), r.err.constData());
        const auto old = addRun(store, evilConfig, inFolder.string(), "");
        r = runCli({"--db", q, "predict", video, "--run", QString::number(old)});
        QVERIFY2(r.err.contains("the store recorded no sha256"), r.err.constData());
        QVERIFY(!fs::exists(marker));

        // The user's own run (a built-in backbone) opens without a question.
        const TrainConfig own = smallConfig("resnet18");
        const fs::path ownFile = dir / "checkpoints" / "run-own.pt";
        const auto mine = addRun(store, own, ownFile.string(),
                                 writeCheckpoint(ownFile, own, describeBackbone("resnet18", 32)));
        r = runCli({"--db", q, "predict", video, "--run", QString::number(mine), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // The control: named by the user, the file is loaded, and it runs.
        r = runCli({"--db", q, "predict", video, "--run", QString::number(id), "--backbone",
                    QString::fromStdString(planted.string())});
        QVERIFY2(fs::exists(marker), r.err.constData());
    }

    // Finding 2: links planted where the cache and the checkpoint writer
    // put their temporary and final files; nothing is written through them.
    void writersDoNotFollowPlantedLinks() {
        const fs::path dir = at("links");
        fs::create_directories(dir);
        const fs::path victim = dir / "victim.txt";
        put(victim, "precious");

        const std::string entry = (dir / "clip.feat").string();
        const std::string next = cache::privateTempName(entry);  // the names that follow
        const std::string stem = next.substr(0, next.rfind('.') + 1);
        const int call = std::stoi(next.substr(next.rfind('.') + 1));
        for (int k = 1; k <= 3; ++k) {
            fs::create_symlink(victim, stem + std::to_string(call + k));
        }
        cache::FeatureFile file;
        file.header.length = file.header.frames = 1;
        file.header.dim = 2;
        file.vectors = {0.5f, -1.0f};
        cache::writeFeatureFile(entry, file);
        QCOMPARE(slurp(victim), std::string("precious"));
        QVERIFY(cache::readFeatureFile(entry, false).vectors == file.vectors);

        const fs::path checkpoint = dir / "run-1.pt";
        fs::create_symlink(victim, dir / "run-1.pt.tmp");  // the old fixed name
        fs::create_symlink(victim, checkpoint);
        const TrainConfig config = smallConfig("resnet18");
        const std::string sha =
            writeCheckpoint(checkpoint, config, describeBackbone("resnet18", 32));
        QCOMPARE(slurp(victim), std::string("precious"));
        QVERIFY(!fs::is_symlink(checkpoint));  // the link itself was replaced
        QCOMPARE(loadCheckpoint(checkpoint.string(), &config, sha).meta.classes.size(),
                 std::size_t(2));

        // sweep --slurm: the scripts go to sbatch on its standard input; a
        // link at the old fixed names in the working folder stays untouched.
        const fs::path work = dir / "work";
        const fs::path bin = dir / "bin";
        fs::create_directories(work);
        fs::create_directories(bin);
        fs::create_symlink(victim, work / "vidrnn-sweep.sbatch");
        fs::create_symlink(victim, work / "vidrnn-extract.sbatch");
        put(bin / "sbatch",
            "#!/bin/sh\ncat >> \"" + (dir / "submitted").string() + "\"\necho 4242\n");
        fs::permissions(bin / "sbatch", fs::perms::owner_all);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", QString::fromStdString(bin.string()) + ":" + env.value("PATH"));
        // --slurm checks that it can write the store before it submits: a
        // throwaway server.
        if (const QString missing = vidrnn::test::PgServer::missing(); !missing.isEmpty()) {
            QSKIP(qPrintable("the sbatch part needs PostgreSQL: " + missing));
        }
        vidrnn::test::PgServer pg;
        QVERIFY2(pg.start(), qPrintable(pg.error()));
        auto r = runCli({"-q",         "--db",
                         pg.url(),     "sweep",
                         "--archs",    "gru",
                         "--hidden",   "8",
                         "--slurm",    "2",
                         "--data",     QString::fromStdString(mData.string()),
                         "--size",     "32",
                         "--frames",   "4",
                         "--backbone", "resnet18",
                         "--device",   "cpu",
                         "--cache",    QString::fromStdString((dir / "cache").string())},
                        QString::fromStdString(work.string()), 120000, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(slurp(victim), std::string("precious"));
        const std::string submitted = slurp(dir / "submitted");
        QVERIFY2(submitted.find("#SBATCH --job-name=vidrnn-extract") != std::string::npos &&
                     submitted.find("#SBATCH --job-name=vidrnn-sweep") != std::string::npos,
                 submitted.c_str());
    }

    // Finding 3: a password in a store URL, however spelled, is refused
    // before anything connects or is written, and never echoed.
    void urlPasswordsRefused_data() {
        QTest::addColumn<QString>("url");
        QTest::newRow("user:password@") << "postgresql://me:S3cretPW@host/db";
        QTest::newRow("password=") << "postgresql://me@host/db?password=S3cretPW";
        QTest::newRow("percent-encoded key") << "postgresql://me@host/db?pass%77ord=S3cretPW";
        QTest::newRow("sslpassword=") << "postgresql://me@host/db?sslpassword=S3cretPW";
        QTest::newRow("encoded sslpassword") << "postgres://h/db?%73slpassword=S3cretPW";
    }
    void urlPasswordsRefused() {
        QFETCH(QString, url);
        const std::string engine = errorOf([&] { checkStoreUrl(url.toStdString()); });
        QVERIFY2(engine.find("the URL carries a") != std::string::npos, engine.c_str());
        QVERIFY2(engine.find("S3cretPW") == std::string::npos, engine.c_str());
        // sweep --slurm writes the URL into scripts and workers' command lines.
        auto r = runCli({"--db", url, "sweep", "--archs", "gru", "--slurm", "2", "--dry-run",
                         "--data", QString::fromStdString(mData.string())});
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(!r.out.contains("S3cretPW") && !r.err.contains("S3cretPW"), r.err.constData());
        QVERIFY2(r.err.contains("the URL carries a"), r.err.constData());
    }

    // Finding 4: a line break in a value written into the sbatch script
    // would end a '#' line and run the rest; refused, naming the value.
    void scriptValuesWithControlCharacters_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString data = QString::fromStdString(mData.string());
        QTest::newRow("--slurm-opt")
            << QStringList{"--slurm-opt", "--time=10\ntouch pwned", "--data", data}
            << "--slurm-opt '--time=10\\ntouch pwned'";
        QTest::newRow("--db") << QStringList{"--data", data} << "the store 'postgresql://";
    }
    void scriptValuesWithControlCharacters() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const QString db = QString("postgresql://nobody@localhost/none") +
                           (named.startsWith("the store") ? "\ntouch pwned" : "");
        auto r = runCli(QStringList{"--db", db, "sweep", "--archs", "gru", "--slurm", "2",
                                    "--dry-run", "--size", "32", "--frames", "4", "--backbone",
                                    "resnet18", "--device", "cpu", "--cache",
                                    QString::fromStdString(at("cache4").string())} +
                        args);
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.contains(named.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("holds a control character"), r.err.constData());
        QVERIFY(!r.out.contains("#SBATCH --job-name"));
    }

    // A data folder whose name holds a line break.
    void dataFolderWithLineBreak() {
        const fs::path odd = at("odd\ntouch pwned");
        fs::create_directories(odd);
        fs::copy(mData, odd, fs::copy_options::recursive);
        auto r = runCli({"--db",       "postgresql://nobody@localhost/none",
                         "sweep",      "--archs",
                         "gru",        "--slurm",
                         "2",          "--dry-run",
                         "--size",     "32",
                         "--frames",   "4",
                         "--backbone", "resnet18",
                         "--device",   "cpu",
                         "--data",     QString::fromStdString(odd.string()),
                         "--cache",    QString::fromStdString(at("cache5").string())});
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.contains("odd\\ntouch pwned"), r.err.constData());
        QVERIFY(!r.out.contains("#SBATCH --job-name"));
    }

    // Finding 5: a decode bomb is refused from its headers, before any
    // decoder allocates a frame: the container's claim and, for Motion
    // JPEG, the first frame's own header (which the decoder goes by).
    void decodeBombRefusedFromHeaders() {
        const cv::Mat small(48, 64, CV_8UC3, cv::Scalar(40, 80, 120));
        const auto jpegs = data::encodeJpegFrames({small, small}, 80);
        const fs::path declared = at("bomb-header.avi");
        data::writeMjpegAvi(declared.string(), jpegs, cv::Size(16000, 16000), 10);
        auto patched = jpegs;
        for (auto& jpeg : patched) {
            for (std::size_t i = 0; i + 9 < jpeg.size(); ++i) {
                if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {  // SOF0: height, width
                    jpeg[i + 5] = jpeg[i + 7] = 16000 >> 8;
                    jpeg[i + 6] = jpeg[i + 8] = 16000 & 0xFF;
                    break;
                }
            }
        }
        const fs::path inside = at("bomb-jpeg.avi");
        data::writeMjpegAvi(inside.string(), patched, cv::Size(64, 48), 10);
        for (const fs::path& bomb : {declared, inside}) {
            const std::string e = errorOf([&] { checkVideo(bomb.string()); });
            QVERIFY2(e.find(bomb.string() + ": frames of 16000x16000") == 0, e.c_str());
            QVERIFY2(e.find("exceed vidrnn's limit of 36.0 megapixels") != std::string::npos,
                     e.c_str());
        }
        // In a data set: skipped with the reason, the clean clips kept.
        const fs::path set = at("bombs");
        fs::copy(mData, set, fs::copy_options::recursive);
        fs::copy_file(declared, set / "run" / "2.avi");
        ScanOptions options;
        const Dataset ds = scanDataset(set.string(), options);
        QCOMPARE(ds.clips.size(), std::size_t(2));
        QCOMPARE(ds.skipped.size(), std::size_t(1));
        QVERIFY2(ds.skipped[0].reason.find("exceed vidrnn's limit") != std::string::npos,
                 ds.skipped[0].reason.c_str());
        checkVideo(mClip.string());  // 64x48 passes
    }

    // Finding 6: a forged cache entry with a valid checksum and NaN (or an
    // infinity in its float16 maps) is damaged, not "cached".
    void nonFiniteCacheEntryIsDamaged() {
        cache::FeatureFile file;
        file.header.length = file.header.frames = 1;
        file.header.dim = 2;
        file.vectors = {std::nanf(""), 1.0f};
        const std::string nan = at("nan.feat").string();
        cache::writeFeatureFile(nan, file);
        std::string e = errorOf([&] { cache::readFeatureFile(nan, false); });
        QVERIFY2(e == nan + ": non-finite value in vectors (element 0)", e.c_str());

        file.vectors = {0.0f, 1.0f};
        file.header.channels = file.header.height = file.header.width = 1;
        file.maps = {0x7C00};  // float16 +infinity
        const std::string inf = at("inf.feat").string();
        cache::writeFeatureFile(inf, file);
        QCOMPARE(cache::readFeatureFile(inf, false).vectors.size(), std::size_t(2));
        e = errorOf([&] { cache::readFeatureFile(inf, true); });
        QVERIFY2(e == inf + ": non-finite value in maps (element 0)", e.c_str());
    }

    // Finding 7: cells a spreadsheet would execute are neutralised in every
    // CSV writer; Markdown cells cannot carry HTML or break the table.
    void csvAndMarkdownCells() {
        QCOMPARE(escapeCsv("=HYPERLINK(\"http://x\")"),
                 std::string("\"'=HYPERLINK(\"\"http://x\"\")\""));
        QCOMPARE(escapeCsv("+cmd|' /C calc'!A0"), std::string("'+cmd|' /C calc'!A0"));
        QCOMPARE(escapeCsv("@SUM(A1)"), std::string("'@SUM(A1)"));
        QCOMPARE(escapeCsv("-2+3"), std::string("'-2+3"));
        QCOMPARE(escapeCsv("\tx"), std::string("'\tx"));
        QCOMPARE(escapeCsv("\rx"), std::string("\"'\rx\""));
        QCOMPARE(escapeCsv("-0.5"), std::string("-0.5"));  // numbers stay numbers
        QCOMPARE(escapeCsv("+1e-3"), std::string("+1e-3"));
        QCOMPARE(escapeCsv("a,b"), std::string("\"a,b\""));
        QCOMPARE(escapeCsv("plain"), std::string("plain"));
        QCOMPARE(escapeMarkdown("a|b\nc <script>&"), std::string("a\\|b c &lt;script&gt;&amp;"));
        // LaTeX escaping held already; it still does.
        QVERIFY(escapeLatex("\\input{/etc/passwd}").find("\\input") == std::string::npos);
    }

    // Finding 8: a note's escape sequences reach no terminal; the report's
    // CSV of a run named like a formula is neutralised.
    void terminalOutputEscaped() {
        const fs::path dir = at("terminal");
        fs::create_directories(dir);
        const std::string db = (dir / "experiments.db").string();
        std::int64_t id = 0;
        {
            auto store = RunStore::open(db);
            TrainConfig c = smallConfig("=2+5");
            id = addRun(store, c, "", "",
                        "\x1b]0;owned\x07\x1b[2J\xc2\x9b"
                        "31m\nfake row");
        }
        const QString q = QString::fromStdString(db);
        auto list = runCli({"--db", q, "runs", "list"});
        QVERIFY2(list.exitCode == 0, list.err.constData());
        QVERIFY(!list.out.contains('\x1b') && !list.out.contains('\x07'));
        QVERIFY(!list.out.contains("\xc2\x9b"));
        QVERIFY2(list.out.contains("\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\nfake row"),
                 list.out.constData());
        auto show = runCli({"--db", q, "runs", "show", QString::number(id)});
        QVERIFY2(show.exitCode == 0, show.err.constData());
        QVERIFY(!show.out.contains('\x1b') && !show.out.contains('\x07'));
        auto json = runCli({"--db", q, "runs", "show", QString::number(id), "--json"});
        QVERIFY(!json.out.contains("\xc2\x9b"));
        QVERIFY(test::parseJson(json.out).isObject());  // the escapes are JSON's
        // The streamed list as well (DEL and C1 too, which JSON itself leaves).
        auto listJson = runCli({"--db", q, "runs", "list", "--json"});
        QVERIFY2(listJson.exitCode == 0, listJson.err.constData());
        QVERIFY(!listJson.out.contains("\xc2\x9b") && !listJson.out.contains('\x1b'));
        QVERIFY2(listJson.out.contains("\\u009b31m"), listJson.out.constData());
        QVERIFY(test::parseJson(listJson.out).isArray());
        auto csv = runCli({"--db", q, "report", "--format", "csv", "--no-reference"});
        QVERIFY2(csv.exitCode == 0, csv.err.constData());
        QVERIFY2(csv.out.contains(",'=2+5"), csv.out.constData());
    }

    // Finding 9: no home folder and no --db is an error, never a store in
    // a predictable place under /tmp.
    void noHomeFolderNoTmpFallback() {
        if (geteuid() != 0) {
            QSKIP("needs root to become a user without a password entry");
        }
        int fds[2];
        QVERIFY(pipe(fds) == 0);
        const pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            std::string result;
            // A user the password database does not know, no HOME, no XDG.
            if (chdir("/") != 0 || setgid(2147480000) != 0 || setuid(2147480000) != 0) {
                result = "cannot become another user";
            } else {
                unsetenv("HOME");
                unsetenv("XDG_DATA_HOME");
                result = errorOf([] { (void)resolveStorePath(""); });
            }
            const auto n = write(fds[1], result.data(), result.size());
            _exit(n == ssize_t(result.size()) ? 0 : 1);
        }
        close(fds[1]);
        std::string result;
        char buffer[512];
        for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
            result.append(buffer, std::size_t(n));
        }
        close(fds[0]);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY2(result.find("no home folder") == 0, result.c_str());
        QVERIFY2(result.find("--db") != std::string::npos, result.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
