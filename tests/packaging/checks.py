"""The packaging tests' checks in Python: one "ok:"/"FAIL:" line each, as the
shell tests print them, and the exit status from their count."""

failures = 0


def check(ok, what, why=""):
    global failures
    if ok:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}{': ' + why if why else ''}")
    return ok


def verdict():
    """0 when every check passed, else 1, with the count."""
    if failures:
        print(f"{failures} check(s) failed")
        return 1
    print("all checks passed")
    return 0
