"""casebook serve: rebuilds when a case changes, keeps the last good site when one breaks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import make_project


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(tmp_path):
    project = make_project(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--cases",
            str(project / "cases"),
            "--config",
            str(project / "mkdocs.yml"),
            "--site-dir",
            str(project / "site"),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/catalogue/cases/leeds-data-mill/"
    try:
        assert wait_for(lambda: "Leeds Data Mill" in fetch(url)), "the site was not served"
        case = project / "cases" / "leeds-data-mill.yaml"
        text = case.read_text()
        case.write_text(text.replace("Leeds Data Mill opens up city data", "Leeds Data Mill publishes city data"))
        assert wait_for(lambda: "Leeds Data Mill publishes city data" in fetch(url)), "no rebuild after a change"
        case.write_text(text.replace("status: scaled", "status: finished"))
        time.sleep(6)  # give the watcher time to rebuild (and fail)
        assert "Leeds Data Mill publishes city data" in fetch(url)  # the last good page stays up
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert "leeds-data-mill.yaml:" in output and "[vocabulary]" in output
    assert "last good site" in output
