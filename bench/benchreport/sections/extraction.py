"""Sections 3 and 3b: feature extraction end to end against the backbone
alone (bench_extract), on the demo clips and on real clips."""

import statistics

from ..common import GOAL_EXTRACT, fmt_x, ratio
from ..load import sizes_in
from .. import prose

PROSE = "extraction"


def extraction(rep):
    g = rep.res.gbench("extract.json")
    gp = rep.res.gbench("extract-passive.json")
    rows, ratios = [], []
    rep.ext = {}
    for s in sizes_in(g.samples):
        e = {
            "e2e": g.median_counter("extract/e2e/%d" % s, "fps"),
            "bb": g.median_counter("extract/backbone/%d" % s, "fps"),
            "dec": g.median_counter("extract/decode/%d" % s, "fps"),
            "frames": g.median_counter("extract/backbone/%d" % s, "frames"),
            "in_dec": g.median_counter("extract/e2e/%d" % s, "decode_s"),
            "in_bb": g.median_counter("extract/e2e/%d" % s, "backbone_s"),
            "wall": g.median_ms("extract/e2e/%d" % s),
            "setup": g.median_ms("extract/setup/%d" % s),
            "p_e2e": gp.median_counter("extract/e2e/%d" % s, "fps"),
            "p_bb": gp.median_counter("extract/backbone/%d" % s, "fps"),
        }
        rep.ext[s] = e
        e["ratio"] = ratio(e["e2e"], e["bb"])
        if e["ratio"] is not None:
            ratios.append((e["ratio"], s))
        e["p_ratio"] = passive = ratio(e["p_e2e"], e["p_bb"])
        rows.append([s, "%d" % e["frames"] if e["frames"] else "n/a",
                     "%.1f" % e["e2e"] if e["e2e"] else "n/a",
                     "%.1f" % e["bb"] if e["bb"] else "n/a", fmt_x(e["ratio"]),
                     "%.0f" % e["dec"] if e["dec"] else "n/a",
                     "%.1f s / %.1f s / %.1f s / %.2f s" % (
                         e["wall"] / 1000, e["in_dec"], e["in_bb"], (e["setup"] or 0) / 1000)
                     if e["wall"] and e["in_dec"] is not None else "n/a",
                     "%.1f / %.1f (%s)" % (e["p_e2e"], e["p_bb"], fmt_x(passive))
                     if passive else "-",
                     g.count("extract/e2e/%d" % s)])
    rep.say(PROSE, "heading")
    rep.say(PROSE, "intro", clips=g.context.get("extract_clips", "?"), goal="%.1f" % GOAL_EXTRACT)
    rep.table(["size", "frames", "end to end frames/s", "backbone only frames/s",
               "ratio", "decode only frames/s", "e2e: wall / decode / backbone / set-up",
               "PASSIVE: e2e / backbone frames/s (ratio)", "repetitions"], rows)
    ok = all(r >= GOAL_EXTRACT for r, _ in ratios) if ratios else None
    measured = ", ".join("%s at %d" % (fmt_x(r), s) for r, s in ratios) or "n/a"
    rep.goal("extract", "Extraction end to end vs backbone only", ">= %.1fx" % GOAL_EXTRACT,
             measured, ok)


def extraction_real(rep):
    g = rep.res.gbench("extract-real.json")
    if not g.samples:
        return
    peer = rep.res.json_tail("extract-real-peer.json") or {}
    name = "extract/%s/224"
    e2e = g.counter_values(name % "e2e", "fps")
    bb = g.counter_values(name % "backbone", "fps")
    m_e2e = statistics.median(e2e) if e2e else None
    m_bb = statistics.median(bb) if bb else None
    r = ratio(m_e2e, m_bb)
    p_fps = peer.get("fps")

    def spread(xs):
        return "%.1f-%.1f" % (min(xs), max(xs)) if xs else "n/a"
    rows = [
        [prose.text(PROSE, "real-e2e"),
         "%.1f" % m_e2e if m_e2e else "n/a", spread(e2e), len(e2e),
         "%.1f s / %.1f s / %.1f s" % (
             g.median_ms(name % "e2e") / 1000,
             g.median_counter(name % "e2e", "decode_s") or 0,
             g.median_counter(name % "e2e", "backbone_s") or 0)
         if g.median_ms(name % "e2e") else "n/a"],
        [prose.text(PROSE, "real-backbone"),
         "%.1f" % m_bb if m_bb else "n/a", spread(bb), len(bb), ""],
        [prose.text(PROSE, "real-peer", torch=peer.get("torch", "?"),
                    batch=peer.get("batch", "?"), threads=peer.get("threads", "?")),
         "%.1f" % p_fps if p_fps else "n/a", spread(peer.get("runs") or []),
         len(peer.get("runs") or []), ""],
    ]
    rep.say(PROSE, "real-heading")
    rep.say(PROSE, "real-intro", clips=g.context.get("extract_clips", "?"), repetitions=len(e2e),
            ratio=fmt_x(r), goal="%.1f" % GOAL_EXTRACT, versus_peer=fmt_x(ratio(m_bb, p_fps)))
    rep.table(["what", "frames/s (median)", "range", "repetitions",
               "e2e: wall / decoder thread / in backbone"], rows)
    rep.goal("extract-real", "Extraction on real clips (pretrained backbone), end to end vs "
             "backbone only", ">= %.1fx" % GOAL_EXTRACT, fmt_x(r) if r else "n/a",
             r >= GOAL_EXTRACT if r else None)
