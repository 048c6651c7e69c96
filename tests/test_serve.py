"""casebook serve: rebuilds when a case changes, keeps the last good site when one breaks."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import ROOT, cli_env, make_small_project, run_cli, site_args

pytestmark = pytest.mark.site  # builds whole sites with MkDocs


def fetch(url, timeout=60):  # the server holds requests while it rebuilds
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def _ctrl_c_stops_it():
    """Give the server the default Ctrl+C, as a shell does a command run at a terminal.

    A test run started in the background by a shell without job control (``cmd &`` in a
    script, ``nohup``) inherits SIGINT ignored, and Python then never raises
    KeyboardInterrupt: the server would ignore :meth:`Serving.stop`'s Ctrl+C and the
    test would hang until it is killed.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Serving:
    """``casebook serve`` on a free port of 127.0.0.1, its output read line by line as it comes."""

    def __init__(self, project, env=None, cwd=None):
        env = env or cli_env()
        command = [sys.executable, "-m", "generator", "serve", *site_args(project), "--dev-addr", "127.0.0.1:0"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=cwd,  # python -m puts it first on the path
            start_new_session=True,
            preexec_fn=_ctrl_c_stops_it,
        )
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.wait_for_line("serving on", 120)  # printed once the port is bound, before the build
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", first)[0]

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_line(self, text, seconds):
        """The next line of output holding ``text``; fails if the server ends or stays silent."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            assert line is not None, f"the server ended: {''.join(self.output)}"
            self.output.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in {seconds} s: {''.join(self.output)}")

    def fetch_when_rebuilt(self, url, page, text, seconds=300):
        """Wait until a rebuild newer than ``page`` serves ``text`` at ``url``.

        Each rebuild is awaited as the page's live-reload script awaits it: the
        server answers /livereload/EPOCH/ as soon as a build newer than EPOCH
        is served (or after a minute, with EPOCH).
        """
        deadline = time.monotonic() + seconds
        epoch = int(re.search(r"livereload\((\d+), \d+\)", page)[1])
        while time.monotonic() < deadline:
            served = int(fetch(f"{self.url}livereload/{epoch}/0", timeout=90))
            if served > epoch:
                epoch = served
                if text in fetch(url):
                    return
        raise AssertionError(f"no rebuild served {text!r} in {seconds} s: {''.join(self.output)}")

    def stop(self):
        """Ctrl+C, as a user stops it; killed if it has not stopped in two minutes."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(tmp_path):
    project = make_small_project(tmp_path)
    server = Serving(project)
    url = f"{server.url}catalogue/cases/leeds-data-mill/"
    try:
        page = fetch(url, timeout=300)  # answered once the first build is done
        assert "Leeds Data Mill opens up city data" in page
        case = project / "cases" / "leeds-data-mill.yaml"
        text = case.read_text()
        case.write_text(text.replace("Leeds Data Mill opens up city data", "Leeds Data Mill publishes city data"))
        server.fetch_when_rebuilt(url, page, "Leeds Data Mill publishes city data")
        case.write_text(text.replace("status: scaled", "status: finished"))
        server.wait_for_line("[vocabulary]", 300)  # the rebuild failed...
        server.wait_for_line("last good site", 60)
        assert "Leeds Data Mill publishes city data" in fetch(url)  # ...and the last good page stays up
    finally:
        server.stop()
    assert "leeds-data-mill.yaml:" in "".join(server.output)


def test_an_edit_saved_during_the_first_build_is_not_missed(tmp_path):
    """The watcher starts before the first build: an edit saved while it runs, or the moment
    it ends, is picked up by an update instead of waiting for the next edit."""
    project = make_small_project(tmp_path)
    server = Serving(project)
    case = project / "cases" / "leeds-data-mill.yaml"
    case.write_text(case.read_text().replace("Leeds Data Mill opens up city data", "Leeds Data Mill shares city data"))
    server.wait_for_line("Built", 300)
    case.write_text(case.read_text().replace("Leeds Data Mill shares city data", "Leeds Data Mill lends city data"))
    url = f"{server.url}catalogue/cases/leeds-data-mill/"
    try:
        deadline = time.monotonic() + 120
        while "Leeds Data Mill lends city data" not in fetch(url):
            assert time.monotonic() < deadline, f"the edit never reached the page: {''.join(server.output)}"
            time.sleep(0.2)
    finally:
        server.stop()


def test_an_edited_case_a_vocabulary_label_and_a_hand_written_page_each_show_up(tmp_path):
    """A case edit updates its pages only; a hand-written page is rendered again; a label in the
    case format (here in a copy of the package) restarts the preview on the same port."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "generator", package / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    project = make_small_project(tmp_path)
    server = Serving(project, env={**cli_env(), "PYTHONPATH": str(package)}, cwd=package)
    case_url = f"{server.url}catalogue/cases/leeds-data-mill/"
    try:
        page = fetch(case_url, timeout=300)
        case = project / "cases" / "leeds-data-mill.yaml"
        case.write_text(
            case.read_text().replace("Leeds Data Mill opens up city data", "Leeds Data Mill lends city data")
        )
        server.fetch_when_rebuilt(case_url, page, "Leeds Data Mill lends city data")
        assert re.search(r"Updated \d+ pages of \d+ cases", server.wait_for_line("Updated", 60))
        rows = f"{server.url}catalogue/catalogue-csv.json"  # the downloads follow in the background
        deadline = time.monotonic() + 120
        while "Leeds Data Mill lends city data" not in fetch(rows):
            assert time.monotonic() < deadline, "the downloads never caught up with the edit"
            time.sleep(0.5)

        about = project / "docs" / "wise-council.md"
        about.write_text(about.read_text() + "\nA sentence added while the preview runs.\n")
        about_url = f"{server.url}wise-council/"
        server.fetch_when_rebuilt(about_url, fetch(case_url), "A sentence added while the preview runs.")

        vocabularies = package / "generator" / "data" / "vocabularies.yaml"
        vocabularies.write_text(vocabularies.read_text().replace("label: Economic development", "label: Local economy"))
        server.wait_for_line("restarting the preview", 120)
        server.wait_for_line("Built", 300)
        assert "Local economy" in fetch(case_url)
    finally:
        server.stop()
    output = "".join(server.output)
    assert "Traceback" not in output


def test_serve_answers_200_requests_at_once(tmp_path):
    project = make_small_project(tmp_path)
    server = Serving(project)
    try:
        assert "</html>" in fetch(server.url, timeout=300)  # answered once the first build is done
        start = threading.Barrier(200)

        def get(_):
            start.wait(timeout=60)
            try:
                with urllib.request.urlopen(server.url, timeout=60) as response:
                    return response.status if b"</html>" in response.read() else "incomplete page"
            except OSError as error:
                return repr(error)

        with ThreadPoolExecutor(max_workers=200) as pool:
            answers = list(pool.map(get, range(200)))
    finally:
        server.stop()
    unanswered = [a for a in answers if a != 200]
    assert not unanswered, f"{len(unanswered)} of 200 requests got no page: {sorted(set(unanswered))}"


@pytest.mark.parametrize(
    "address, message",
    [
        ("127.0.0.1:99999", "port 99999 is out of range"),
        ("127.0.0.1:{taken}", "port {taken} is in use"),
        # The empty label makes the resolver refuse the name itself, asking no DNS server.
        ("no-such-host..invalid:8000", "unknown host 'no-such-host..invalid'"),
    ],
    ids=["port out of range", "port in use", "unknown host"],
)
def test_an_address_that_cannot_be_served_is_one_line_before_any_build(tmp_path, address, message):
    project = make_small_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", *site_args(project), "--dev-addr", address.format(taken=port))
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot serve on {address.format(taken=port)}: ")
    assert message.format(taken=port) in line
    assert result.stdout == ""
    assert not (project / "site").exists() and not (project / "docs" / "catalogue").exists()  # nothing was built


def test_bad_paths_get_400_or_404_without_a_traceback_and_no_request_waits_for_a_rebuild(tmp_path):
    project = make_small_project(tmp_path)
    server = Serving(project)
    url = f"{server.url}catalogue/cases/leeds-data-mill/"
    try:
        page = fetch(url, timeout=300)
        for path, status in [
            ("%00", 400),
            ("catalogue/%00/x", 400),
            ("a%0Ab", 400),
            ("%C3%28", 400),
            ("nothing/here", 404),
        ]:
            with pytest.raises(urllib.error.HTTPError) as refused:
                fetch(f"{server.url}{path}", timeout=30)
            assert refused.value.code == status, path
        case = project / "cases" / "leeds-data-mill.yaml"
        case.write_text(
            case.read_text().replace("Leeds Data Mill opens up city data", "Leeds Data Mill shares city data")
        )
        server.wait_for_line("Updating the site", 120)
        during = fetch(url, timeout=30)  # answered at once, from the last good site
        assert "Leeds Data Mill opens up city data" in during
        server.fetch_when_rebuilt(url, page, "Leeds Data Mill shares city data")
    finally:
        server.stop()
    output = "".join(server.output)
    assert "Traceback" not in output and "500" not in output
