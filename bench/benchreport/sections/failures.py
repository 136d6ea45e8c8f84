"""The steps of tools/bench.sh that failed (NAME.rc not 0), last in the document."""

PROSE = "failures"


def failures(rep):
    bad = [(step, rc) for step, rc in rep.res.exit_codes() if rc != 0]
    if bad:
        rep.say(PROSE, "heading")
        for step, rc in bad:
            rep.line(PROSE, "failed", step=step, status=rc)
        rep.add("")
