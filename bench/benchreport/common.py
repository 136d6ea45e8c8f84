"""The goals of issues 6, 14 and 16 as numbers, the architectures, and how
numbers are written in the document."""

GOAL_CPP_VS_PY = 0.8       # C++ step time / Python step time, every recurrent model
GOAL_CONVLSTM = 1.5        # reference time / fast-path time
GOAL_EXTRACT = 0.9         # end-to-end frames/s / backbone-only frames/s
GOAL_DEMO_S = 15 * 60
GOAL_PEAK_BYTES = 3e9      # 3 GB (decimal)
GOAL_STALL_MS = 50         # longest UI-thread gap during a demo-sized run
GOAL_BF16_SMALL = 2.0      # ConvLSTM step fp32 / bf16 at hidden 64-128
GOAL_BF16_LARGE = 1.5      # ... at hidden 256-512
GOAL_VS_REFERENCE = 2.0    # Python reference ConvLSTM (fp32) / engine ConvLSTM (auto)
GOAL_DEMO_AUTO = 1.3       # demo wall time fp32 / --precision auto
GOAL_CLI_FAST_S = 0.15     # --version and runs list --limit 20, any store
GOAL_CLI_50K_EXTRA_S = 0.5 # every CLI command at 50k against the empty store
GOAL_JSON_PEAK_MB = 200    # runs list --json at 50k
GOAL_WB_USABLE_MS = 1500   # workbench launch to usable at 50k
GOAL_WB_STALL_MS = 100     # longest UI-thread stall of any listed action
GOAL_WB_PEAK_MB = 500      # workbench peak memory at 50k
STORE_SIZES = [0, 1000, 10000, 50000]
RECURRENT = ["lstm", "gru", "deep_lstm", "bilstm", "convlstm"]
ARCHS = RECURRENT + ["mean_pool", "transformer"]


def fmt_ms(v):
    if v is None:
        return "n/a"
    if v >= 1000:
        return "%.2f s" % (v / 1000)
    if v >= 100:
        return "%.0f ms" % v
    if v >= 10:
        return "%.1f ms" % v
    return "%.2f ms" % v


def fmt_x(v):
    return "n/a" if v is None else "%.2fx" % v


def fmt_bytes(v):
    return "n/a" if v is None else "%.2f GB" % (v / 1e9)


def fmt_wall(s):
    if s is None:
        return "n/a"
    m, sec = divmod(s, 60)
    return "%d min %02d s" % (m, sec) if m else "%.1f s" % s


def ratio(a, b):
    """a / b where both are measured and non-zero, else None."""
    return a / b if a and b else None


def met(goal):
    """A goal's outcome in a heading: "met" or "missed" (also when not measured)."""
    return "met" if goal and goal.ok else "missed"


def train_cases(hidden, cpp, py):
    """Every (arch, hidden) training-step case with its C++ and Python results."""
    for arch in ARCHS:
        for h in hidden:
            name = "train_step/%s/%d" % (arch, h)
            yield arch, h, name, cpp.get(name), py.get(name)
