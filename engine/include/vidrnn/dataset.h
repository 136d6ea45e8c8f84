// Data sets of labelled action clips, found on disk in one of three layouts and
// detected automatically by scanDataset():
//
//  "ucf11"     <root>/<class folder>/v_<token>_<GG>/v_<token>_<GG>_<CC>.<ext>, both
//              releases (UCF11_updated_mpg .mpg, action_youtube_naudio .avi).
//              Class folders are the 11 UCF11 names; a clip's group is GG ("01".."25"),
//              shared across classes as in the official leave-one-group-out protocol.
//              Annotation/ folders and non-video files are ignored. The root may
//              also be one level above (a folder holding action_youtube_naudio/).
//  "folders"   <root>/<class>/**/<video>. Groups come from the file name when it
//              follows UCF101 (v_Name_gGG_cCC -> "g01") or UCF11 (v_x_GG_CC -> "01")
//              naming, else from the first sub-folder under the class (same-named
//              sub-folders of different classes are one group, like UCF's GG), else
//              the clip is its own group "<class>/<file stem>".
//              Folders whose name starts with '.' or '_' are not classes: hidden
//              folders, and '_'-prefixed ones such as real-clips/_other, which by
//              convention hold unlabelled or out-of-vocabulary clips. They are listed
//              in Dataset::notes.
//  "manifest"  a CSV file: path,label[,group]. Optional header row, paths relative
//              to the manifest's folder, "quoted" fields, blank lines and # comments.
//              Without a group column the group comes from the file name as above,
//              else each clip is its own group. Bad rows are skipped with "row N: ..."
//              (N = line number in the file). A folder holding no classes but
//              exactly one *.csv file is read as that manifest.
//
// Video extensions: .avi .mpg .mpeg .mp4 .mkv .mov .webm .m4v (any case).
// Everything is sorted: classes by name (labels are indices into it; numeric
// labels in manifests sort numerically), clips by (label, group, clip, path).
// Symbolic links are followed, with loop detection.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vidrnn {

struct Clip {
    std::string path;  // absolute
    int label = -1;    // index into Dataset::classes
    std::string className;
    std::string group;         // clips sharing actor/scene; never split across train and test
    int clipNumber = 0;        // CC from the name; 0 when the name has none
    std::int64_t frames = -1;  // decoded frame count when ScanOptions::countFrames, else -1
};

struct SkippedClip {
    std::string path;
    std::string reason;
};

struct Dataset {
    std::string root;    // absolute: the folder (after any one-level descent) or manifest
    std::string layout;  // "ucf11" | "folders" | "manifest"
    std::vector<std::string> classes;  // sorted; a class whose clips were all skipped stays
    std::vector<Clip> clips;           // usable clips only
    std::vector<std::string> groups;   // sorted distinct Clip::group values
    std::vector<SkippedClip> skipped;  // sorted by path
    std::vector<std::string> notes;    // what was ignored and why (e.g. "_other")
};

struct ScanOptions {
    // Open every clip and decode its first frame; unusable ones move to skipped
    // with the reason (empty, not a video, truncated, no video stream, ...).
    bool probe = true;
    // Decode every frame to fill Clip::frames (slower; implies probe).
    bool countFrames = false;
    // Probing workers; 0 = one per hardware thread. Results do not depend on it.
    int threads = 0;
    // Called as clips are probed (from a worker thread, serialised).
    std::function<void(int done, int total)> progress;
    // Checked between clips; when it becomes true scanDataset throws
    // DatasetError(path, "scan cancelled").
    const std::atomic<bool>* stop = nullptr;
};

// Throws DatasetError naming the path and the reason: missing, not a folder or
// CSV manifest, no classes found, manifest without any usable row, cancelled.
Dataset scanDataset(const std::string& path, const ScanOptions& options = {});

// The UCF11 table: class folder name -> file token (basketball -> shooting, ...,
// walking -> walk_dog), in class-name order.
const std::vector<std::pair<std::string, std::string>>& ucf11Classes();

// Lower-case extension check against the list above.
bool isVideoFileName(const std::string& fileName);

// Clips per class, in Dataset::classes order.
std::vector<int> clipsPerClass(const Dataset& dataset);

// What the data set holds, as 16 hex digits: a hash over its classes and its
// usable clips (path relative to the root, class, group and file size). Runs
// on a changed copy of a folder (a clip added, removed, relabelled or
// re-encoded to another size) get another fingerprint, so their results are
// never pooled with the old ones; moving the folder elsewhere keeps it.
std::string datasetFingerprint(const Dataset& dataset);

}  // namespace vidrnn
