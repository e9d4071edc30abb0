"""Never lose an editor's file, never show a traceback.

Every verb is run as an editor runs it (`edition ...` in a subprocess) against bad settings and
faults of the system: an output folder that is the sources, a missing register, files of the
editor's in the output, a read-only or full disk, a bad port, a second build at once, Ctrl-C and
`kill`. What must hold: the exit status says what happened, the message names the problem and
gives a hint, no traceback, and every file the build did not write is still there, unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from tests.helpers import REPO, SEED_TEI

EDITION = [str(Path(sys.executable).parent / "edition")]


def edition(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(EDITION + list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def setting(folder: Path, key: str, value: str) -> None:
    """Set `key = "value"` under [edition] of the edition.toml in `folder`."""
    path = folder / "edition.toml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(f"{key} =")]
    at = lines.index("[edition]") + 1
    lines.insert(at, f'{key} = "{value}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    """The bundled edition, copied."""
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copytree(REPO / "tei", folder / "tei")
    shutil.copy(REPO / "edition.toml", folder / "edition.toml")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The bundled edition, built once (tests copy it)."""
    folder = tmp_path_factory.mktemp("built") / "letters"
    folder.mkdir()
    shutil.copytree(REPO / "tei", folder / "tei")
    shutil.copy(REPO / "edition.toml", folder / "edition.toml")
    done = edition("build", "-q", "--only", "html", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr


# ------------------------------------------------------------------ settings that would lose files

@pytest.mark.parametrize("output, relation", [
    ("tei", "is the sources folder"),
    (".", "contains the sources folder"),
    ("tei/site", "is inside the sources folder"),
    ("..", "contains the sources folder"),
])
def test_an_output_folder_overlapping_the_sources_is_refused_before_any_work(project, output, relation):
    (project / "tei" / "pdf").mkdir()
    (project / "tei" / "pdf" / "scan-of-original.pdf").write_bytes(b"%PDF the editor's scan")
    (project / "html").mkdir()
    (project / "html" / "notes.txt").write_text("the editor's notes")
    before = files(project)
    setting(project, "output", output)
    for args in (["build", "--clean"], ["build", "--only", "html"], ["build", "--force"]):
        done = edition(*args, cwd=project)
        no_traceback(done)
        assert done.returncode == 2, done.stderr
        assert "'edition.output'" in done.stderr and relation in done.stderr and "hint:" in done.stderr
    after = files(project)
    assert {k: v for k, v in after.items() if k != "edition.toml"} == \
        {k: v for k, v in before.items() if k != "edition.toml"}
    assert not (project.parent / ".edition-cache").exists() and not (project / ".edition-cache").exists()


def test_an_output_path_that_is_a_file_is_refused(project):
    (project / "site").write_text("not a folder")
    setting(project, "output", "site")
    done = edition("build", cwd=project)
    no_traceback(done)
    assert done.returncode == 2 and "'edition.output'" in done.stderr and "is a file" in done.stderr
    assert (project / "site").read_text() == "not a folder"


@pytest.mark.parametrize("key", ["persons", "places"])
def test_a_missing_register_is_a_configuration_error_for_validate_and_build(built, tmp_path, key):
    project = tmp_path / "letters"
    shutil.copytree(built, project)
    site = files(project / "_build" / "html")
    setting(project, key, "tei/nope.xml")
    for verb in ("validate", "build"):
        done = edition(verb, cwd=project)
        no_traceback(done)
        assert done.returncode == 2, (verb, done.stdout, done.stderr)
        assert f"'edition.{key}': no such file: tei/nope.xml" in done.stderr
        assert "edition.toml:" in done.stderr  # at the key's line
    assert files(project / "_build" / "html") == site  # the published site is untouched


def test_every_path_of_the_settings_is_checked_before_any_work_and_all_at_once(project):
    path = project / "edition.toml"
    path.write_text(path.read_text() + '\n[html]\ncss = "style/extra.css"\ntemplates = "my-templates"\n',
                    encoding="utf-8")
    setting(project, "introduction", "intro.md")
    done = edition("build", cwd=project)
    no_traceback(done)
    assert done.returncode == 2
    for key in ("'edition.introduction'", "'html.css'", "'html.templates'"):
        assert key in done.stderr
    assert "Errno" not in done.stderr and "3 problem(s)" in done.stderr
    assert not (project / "_build").exists()  # nothing was built first


def test_files_of_the_editor_in_the_output_are_never_deleted(built, tmp_path):
    project = tmp_path / "letters"
    shutil.copytree(built, project)
    (project / "_build" / "html" / "CNAME").write_text("edition.example.org")
    (project / "_build" / "html" / "documents" / "draft-notes.txt").write_text("mine")
    done = edition("build", "--only", "html", cwd=project)
    no_traceback(done)
    assert done.returncode == 2
    assert "CNAME" in done.stderr and "documents/draft-notes.txt" in done.stderr and "--force" in done.stderr
    assert (project / "_build" / "html" / "CNAME").read_text() == "edition.example.org"
    done = edition("build", "--only", "html", "--force", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "_build" / "html" / "CNAME").read_text() == "edition.example.org"
    assert (project / "_build" / "html" / "documents" / "draft-notes.txt").read_text() == "mine"
    (project / "_build" / "html" / "CNAME").unlink()
    (project / "_build" / "html" / "documents" / "draft-notes.txt").unlink()
    done = edition("build", "--only", "html", cwd=project)  # only its own files left: no --force needed
    assert done.returncode == 0, done.stderr


def test_an_output_folder_of_another_program_is_not_replaced(project):
    (project / "_build" / "html").mkdir(parents=True)
    (project / "_build" / "html" / "index.html").write_text("<html>another site</html>")
    done = edition("build", "--only", "html", cwd=project)
    assert done.returncode == 2 and "index.html" in done.stderr
    assert (project / "_build" / "html" / "index.html").read_text() == "<html>another site</html>"


@pytest.mark.parametrize("second", ["copy·doc", "Copy-Doc"])
def test_two_ids_with_one_page_name_are_an_error_naming_both_files(project, second):
    text = SEED_TEI.read_text(encoding="utf-8")
    seed_id = 'xml:id="stalin-eden-1941-12-18"'
    assert seed_id in text
    (project / "tei" / "a.xml").write_text(text.replace(seed_id, 'xml:id="copy-doc"'), encoding="utf-8")
    (project / "tei" / "b.xml").write_text(text.replace(seed_id, f'xml:id="{second}"'), encoding="utf-8")
    done = edition("validate", cwd=project)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "[corpus.page-name]" in line]
    assert len(lines) == 1 and lines[0].startswith("tei/b.xml") and f'xml:id="{second}"' in lines[0]
    assert "a.xml" in lines[0] and 'xml:id="copy-doc"' in lines[0]
    done = edition("build", "--only", "html", cwd=project)
    assert done.returncode != 0 and "[corpus.page-name]" in done.stderr


# ------------------------------------------------------------------ builds at once, kills, interrupts

@contextmanager
def another_build(project: Path):
    """Hold the edition's build lock, as a running build does."""
    lock = FileLock(str(project / ".edition-cache" / "build.lock"))
    (project / ".edition-cache").mkdir(exist_ok=True)
    with lock:
        yield


def test_a_second_build_waits_for_the_first(built, tmp_path):
    project = tmp_path / "letters"
    shutil.copytree(built, project)
    import threading

    with another_build(project):
        second = subprocess.Popen(EDITION + ["build", "-q", "--only", "html"], cwd=project, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # its first line, however long it takes to start (a fixed wait let it arrive after the lock
        # was released on a loaded machine)
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(second.stderr.readline()), daemon=True)
        reader.start()
        reader.join(timeout=120)
        assert first and "waiting for another build of this edition to finish" in first[0]
        time.sleep(1)
        assert second.poll() is None  # still waiting
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err


def test_serve_and_build_run_side_by_side(built, tmp_path):
    """The preview keeps its own cache (and lock), in its own folder."""
    from edition.serve import PreviewServer

    project = tmp_path / "letters"
    shutil.copytree(built, project)
    preview = PreviewServer(project, port=0, watch_tool=False)
    try:
        with another_build(project):
            state = preview.rebuild()
        assert state.failure is None or state.failure == "", state.failure
    finally:
        preview.stop()


def _start_build(project: Path) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    # Ctrl-C as in a terminal: a test run in the background (CI, `make test &`) inherits SIGINT
    # ignored, and a program started with it ignored keeps it so; give the build the default.
    return subprocess.Popen(EDITION + ["build", "-j", "2", "--clean"], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_workers(process: subprocess.Popen, timeout: float = 60) -> list[int]:
    """The build's worker processes, once they run (children of its fork server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = _descendants(process.pid)
        if len(workers) >= 3 or process.poll() is not None:
            return workers
        time.sleep(0.2)
    return _descendants(process.pid)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split() \
                if Path(f"/proc/{parent}/task/{parent}/children").exists() else []:
            found.append(int(child))
            todo.append(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture
def generated_project(tmp_path) -> Path:
    """An edition large enough that the build runs in workers for a while."""
    folder = tmp_path / "generated"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--docs", "60", "--out", str(folder)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc (Linux)")
def test_killing_the_build_ends_its_workers_and_the_next_build_removes_its_staging(generated_project):
    project = generated_project
    build = _start_build(project)
    deadline = time.monotonic() + 60
    while not list((project / "_build").glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.1)  # kill it while it writes the outputs
    workers = _wait_for_workers(build)
    assert workers, "the build started no worker processes"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if _alive(p)], "worker processes outlived the killed build"
    assert [p.name for p in (project / "_build").glob(".staging-*")]  # what the kill left
    done = edition("build", "--only", "html", "-q", cwd=project)
    assert done.returncode == 0, done.stderr
    assert not list((project / "_build").glob(".staging-*")) and not list((project / "_build").glob(".old-*"))


@pytest.mark.parametrize("signum, status, word", [(signal.SIGINT, 130, "interrupted"),
                                                   (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_and_kill_end_the_build_cleanly(generated_project, signum, status, word):
    project = generated_project
    build = _start_build(project)
    workers = _wait_for_workers(build)
    time.sleep(0.5)
    if signum == signal.SIGINT:
        os.killpg(build.pid, signum)  # Ctrl-C in a terminal: every process of the build gets it
    else:
        build.send_signal(signum)  # `kill PID`: the build's own process only
    out, err = build.communicate(timeout=120)
    no_traceback(subprocess.CompletedProcess(build.args, build.returncode, out, err))
    assert build.returncode == status, err
    assert f"edition: error: {word}" in err
    assert not list((project / "_build").glob(".staging-*"))
    time.sleep(1.5)
    assert not [p for p in workers if _alive(p)]


# ------------------------------------------------------------------ faults of the system, every verb

def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def tmpfs(folder: Path, options: str):
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(path: Path) -> None:
    """Write until the disk is full."""
    with open(path, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 1024)
                handle.flush()
        except OSError:
            pass


VERBS_THAT_WRITE = {
    # verb: (arguments, with {out} for the folder that fails)
    "build": ["build", "--only", "html"],
    "import": ["import", str(REPO.parent / "shared" / "seeds" / "000_0215c096726144f6.txt"), "--out", "{out}"],
    "new": ["new", "--title", "Telegram", "--date", "1941-12-21", "--participants", "stalin", "--out",
            "{out}/telegram.xml"],
    "init": ["init", "{out}/letters"],
    "guidelines": ["guidelines", "--out", "{out}/GUIDELINES.md"],
}


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small or read-only tmpfs")
@pytest.mark.parametrize("fault, options, hint", [("read-only", "ro,size=1m", "read-only"),
                                                 ("full disk", "size=8k", "disk is full")])
@pytest.mark.parametrize("verb", list(VERBS_THAT_WRITE))
def test_a_read_only_or_full_disk_is_a_clear_error_for_every_verb(project, tmp_path, verb, fault, options, hint):
    if verb == "import" and not Path(VERBS_THAT_WRITE["import"][1]).is_file():
        pytest.skip("../shared/ is absent (the seed transcript)")
    out = tmp_path / "out"
    if verb == "build":
        setting(project, "output", str(out / "_build"))
    args = [a.replace("{out}", str(out)) for a in VERBS_THAT_WRITE[verb]]
    with tmpfs(out, options):
        if fault == "full disk":
            _fill(out / "filler")
        done = edition(*args, cwd=project)
    no_traceback(done)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "edition: error:" in done.stderr and hint in done.stderr, done.stderr


@pytest.mark.parametrize("args, message", [
    (["serve", "--port", "70000"], "70000 is not in the range 0<=x<=65535"),
    (["serve", "--port", "0", "--host", "192.0.2.1"], "--host with an address of this computer"),
    (["validate", "tei/no-such.xml"], "no-such.xml"),
    (["import", "no-such.txt"], "no-such.txt"),
    (["-C", "no-such-folder", "build"], "no-such-folder"),
])
def test_bad_arguments_are_a_clear_error(project, args, message):
    done = edition(*args, cwd=project, timeout=60)
    no_traceback(done)
    assert done.returncode in (1, 2), done.stderr
    assert message in done.stdout + done.stderr, done.stdout + done.stderr


def test_serve_on_an_address_of_another_machine_leaves_no_folder(project):
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("edition-serve-*"))
    done = edition("serve", "--port", "0", "--host", "192.0.2.1", cwd=project, timeout=60)
    assert done.returncode == 2
    assert set(Path(tempfile.gettempdir()).glob("edition-serve-*")) == before


def test_the_published_tei_copy_drops_instructions_a_browser_would_act_on(project):
    source = project / "tei" / SEED_TEI.name
    text = source.read_text(encoding="utf-8")
    hostile = '<?xml-stylesheet type="text/xsl" href="javascript:alert(1)"?>\n'
    head, _, rest = text.partition("<TEI")
    source.write_text(head + hostile + "<TEI" + rest, encoding="utf-8")
    done = edition("build", "--only", "html", "-q", cwd=project)
    assert done.returncode == 0, done.stderr
    [copy] = (project / "_build" / "html" / "tei").glob("*.xml")
    published = copy.read_text(encoding="utf-8")
    assert "xml-stylesheet" not in published and "javascript:" not in published
    assert published == text  # everything else as the editor wrote it, the schema instructions too
    assert "<?xml-model" in published


def test_an_introduction_that_is_not_utf8_is_named_plainly(project):
    (project / "intro.md").write_bytes("## Введение\n".encode("cp1251"))
    setting(project, "introduction", "intro.md")
    done = edition("build", "--only", "html", cwd=project)
    no_traceback(done)
    assert done.returncode == 2 and "intro.md: the introduction is not UTF-8" in done.stderr
    assert "Errno" not in done.stderr and "codec" not in done.stderr


@pytest.mark.parametrize("files, where, message", [
    ({"person.html": '{% extends "base.html" %}{% block main %}{{ oops( }}{% endblock %}',
      "place.html": "line one\n{{ 'x' | no_such_filter }}"},
     ["templates/person.html:1: error: template error: unexpected '}'",
      "templates/place.html:2: error: template error: No filter named 'no_such_filter'"],
     "2 template(s) in templates cannot be used"),
    ({"index.html": '{% extends "base.html" %}{% block main %}\n\n<p>{{ no_such_thing.name }}</p>{% endblock %}'},
     ["templates/index.html:3: error: template error: 'no_such_thing' is undefined"], "is undefined"),
])
def test_a_broken_template_of_the_edition_is_named_with_its_line(project, files, where, message):
    """Every syntax error at once, before any page is written; an error while rendering, with its line."""
    (project / "templates").mkdir()
    for name, text in files.items():
        (project / "templates" / name).write_text(text, encoding="utf-8")
    with open(project / "edition.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[html]\ntemplates = "templates"\n')
    done = edition("build", "--only", "html", cwd=project)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    for line in where:
        assert line in done.stderr, done.stderr
    assert message in done.stderr and "hint: fix the template" in done.stderr
    assert not (project / "_build" / "html").exists()


def test_a_strict_build_makes_a_drafts_warnings_errors_again(project):
    """A draft (revisionDesc/@status="draft", as `edition import` writes it) builds with its archival
    source still missing, as warnings; `edition build --strict` refuses it, as a published one."""
    source = project / "tei" / SEED_TEI.name
    text = source.read_text(encoding="utf-8")
    draft = re.sub(r"<repository>.*?</repository>", "", text.replace("<revisionDesc", '<revisionDesc status="draft"', 1),
                   count=1, flags=re.S)
    assert draft != text and 'status="draft"' in draft
    source.write_text(draft, encoding="utf-8")
    done = edition("build", "--only", "html", "-q", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "[sch.source-repository]" in done.stderr and "warning" in done.stderr
    site = files(project / "_build" / "html")
    done = edition("build", "--only", "html", "--strict", cwd=project)
    no_traceback(done)
    assert done.returncode == 1 and "with --strict, warnings" in done.stderr, done.stderr
    assert files(project / "_build" / "html") == site  # nothing was written
