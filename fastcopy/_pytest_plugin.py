"""pytest plugin (registered as "fastcopy"): off unless asked.

    pytest --fastcopy=patch     the whole session runs with copy.deepcopy and
                                copy.copy patched to run fastcopy
    pytest --fastcopy=verify    the same in verify mode: each call is also
                                run by the standard library and compared; the
                                differences are listed at the end

A difference does not fail a test by itself (the standard library's result
is used); add ``-W error::fastcopy.VerifyWarning`` to make it fail the test
that made the copy.
"""


def pytest_addoption(parser):
    group = parser.getgroup("fastcopy")
    group.addoption(
        "--fastcopy", choices=("off", "patch", "verify"), default="off",
        help="patch: run the session with copy.deepcopy and copy.copy patched to run "
             "fastcopy; verify: also compare each copy with the standard library's and "
             "list the differences at the end (default: off)")


def _mode(config):
    return config.getoption("fastcopy", default="off") or "off"


def pytest_configure(config):
    mode = _mode(config)
    if mode == "off":
        return
    import fastcopy
    from fastcopy import _patch, _verify
    config._fastcopy_before = (_patch._is_patched(_patch._DEEPCOPY),
                               _patch._is_patched(_patch._COPY), _patch.verify_setting())
    if mode == "verify":
        _verify.reset()
    fastcopy.patch(copy=True, verify=(mode == "verify"))


def pytest_unconfigure(config):
    before = getattr(config, "_fastcopy_before", None)
    if before is not None:
        from fastcopy import _patch
        with _patch._lock:
            _patch._apply(*before)


def pytest_report_header(config):
    mode = _mode(config)
    if mode != "off":
        import fastcopy
        return "fastcopy %s (%s): copy.deepcopy and copy.copy patched%s" % (
            fastcopy.__version__, "compiled" if fastcopy.__compiled__ else "pure Python",
            ", verify mode" if mode == "verify" else "")
    return None


def pytest_runtest_setup(item):
    if _mode(item.config) == "verify":
        from fastcopy import _verify
        _verify.context = item.nodeid


def pytest_runtest_teardown(item):
    if _mode(item.config) == "verify":
        from fastcopy import _verify
        _verify.context = None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _mode(config) != "verify":
        return
    from fastcopy import _verify
    report = _verify.report()
    terminalreporter.section("fastcopy verify")
    for line in str(report).splitlines():
        terminalreporter.write_line(line)
