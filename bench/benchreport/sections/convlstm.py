"""Sections 2 and 2b: the engine's ConvLSTM fast path against the per-step
reference form (bench_convlstm), on all cores and on one thread."""

from ..common import GOAL_CONVLSTM, fmt_ms, fmt_x, ratio
from ..load import sizes_in

PROSE = "convlstm"
EXPERIMENTS = ("fast_unbind", "fast_unbind_hoist", "fast_unbind_hoist_cl")


def flop_bound(shape, h):
    """Reference FLOPs / fast-path FLOPs of one ConvLSTM layer, forward + backward.

    Per convolution over k input channels: forward F(k), weight gradient F(k),
    input gradient F(k). The reference convolves cat(x, h) (C + h channels) at
    every step and, h needing a gradient, computes the input gradient of all
    C + h channels. The fast path convolves x once (no input gradient: frames
    are constants) and h at steps 2..T (forward, weight and input gradient).
    """
    try:
        c, t = int(shape["C"]), int(shape["T"])
    except (KeyError, ValueError):
        return None
    reference = 3.0 * (c + h)
    fast = 2.0 * c + 3.0 * h * (t - 1) / t
    return reference / fast


def fast_path_flops(shape, h):
    """Convolution FLOPs of one forward + backward of the engine's ConvLSTM fast
    path (see flop_bound): 2 x 9 x 4h x map^2 x B x T per input channel and
    pass, over 2C passes for x (forward, weight gradient) and 3h(T-1)/T for h."""
    try:
        b, t, c = int(shape["batch"]), int(shape["T"]), int(shape["C"])
        m = int(shape["map"].split("x")[0])
    except (KeyError, ValueError):
        return None
    return 2.0 * 9 * 4 * h * m * m * b * t * (2.0 * c + 3.0 * h * (t - 1) / t)


def convlstm(rep):
    g = rep.res.gbench("convlstm.json")
    shape = g.shape()
    rows, speedups = [], []
    rep.conv_rows = {}
    for h in sizes_in(g.samples):
        fast = g.median_ms("convlstm/fast/%d" % h)
        ref = g.median_ms("convlstm/reference/%d" % h)
        sp = ratio(ref, fast)
        if sp is not None:
            speedups.append((sp, h))
        bound = flop_bound(shape, h)
        d_out = g.context.get("diff/fast/%d/output" % h)
        d_grad = g.context.get("diff/fast/%d/gradient" % h)
        d_scale = g.context.get("diff/fast/%d/gradient_scale" % h)
        tol = float(g.context.get("diff_tolerance", "1e-4"))
        ok = d_out is not None and float(d_out) <= tol
        exp = []
        for v in EXPERIMENTS:
            t = g.median_ms("convlstm/%s/%d" % (v, h))
            d = g.context.get("diff/%s/%d/output" % (v, h))
            exp.append("%s (%s; diff %.2g)" % (fmt_ms(t), fmt_x(ref / t if ref else None),
                                              float(d)) if t and d else "-")
        rep.conv_rows[h] = {"fast": fast, "ref": ref, "bound": bound}
        for v in ("unbind", "unbind_hoist", "unbind_hoist_cl"):
            rep.conv_rows[h][v] = g.median_ms("convlstm/fast_%s/%d" % (v, h))
        rows.append([h, fmt_ms(fast), fmt_ms(ref), fmt_x(sp), fmt_x(bound),
                     "%.2g (%s)" % (float(d_out), "ok" if ok else "FAILED") if d_out else "n/a",
                     "%.2g of %.2g" % (float(d_grad), float(d_scale)) if d_grad else "n/a"]
                    + exp + [g.count("convlstm/fast/%d" % h)])
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro", shape=g.context.get("shape", "?"), goal="%.1f" % GOAL_CONVLSTM)
    rep.table(["hidden", "fast", "reference", "speed-up", "FLOP bound",
               "max abs diff output", "max abs diff gradients"] + list(EXPERIMENTS)
              + ["repetitions"], rows)
    ok = all(sp >= GOAL_CONVLSTM for sp, _ in speedups) if speedups else None
    measured = ", ".join("%s at %d" % (fmt_x(sp), h) for sp, h in speedups) or "n/a"
    if g.context.get("diff_ok") == "false":
        ok, measured = False, measured + " (outputs differ!)"
    rep.goal("convlstm", "ConvLSTM fast path vs straightforward form",
             ">= %.1fx" % GOAL_CONVLSTM, measured, ok)


def convlstm_single(rep):
    g = rep.res.gbench("convlstm-1t.json")
    if not g.samples:
        return
    shape = g.shape()
    rows = []
    rep.conv_single = {}
    for h in sizes_in(g.samples):
        t = {v: g.median_cpu_ms("convlstm/%s/%d" % (v, h)) for v in
             ("fast", "reference") + EXPERIMENTS}
        rep.conv_single[h] = t
        ref = t["reference"]
        rows.append([h, fmt_ms(t["fast"]), fmt_ms(ref), fmt_x(ratio(ref, t["fast"])),
                     fmt_x(flop_bound(shape, h))] +
                    ["%s (%s)" % (fmt_ms(t[v]), fmt_x(ref / t[v])) if ref and t[v] else "-"
                     for v in EXPERIMENTS])
    rep.say(PROSE, "single-heading")
    rep.say(PROSE, "single-intro")
    rep.table(["hidden", "fast", "reference", "speed-up", "FLOP bound"] + list(EXPERIMENTS),
              rows)
