#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Documentation is executable: every command and configuration block a user
copies from README.md and docs/*.md is run here, or says why it cannot be.

A fenced block whose info string is sh, shell, console, ini or conf must be
preceded (on the line before the fence, blank lines allowed) by a marker:

    <!-- doctest: run -->            run each line with sh -e in a sandbox
    <!-- doctest: console -->        "$ cmd" lines are run; the lines after
                                     each are its expected output ("..." alone
                                     on a line matches any number of lines;
                                     "…" at the end of a line, any rest)
    <!-- doctest: nise.conf -->      the block is a nise.conf: `nise config
                                     check --config FILE` must accept it
    <!-- doctest: milter.conf -->    the block is a milter.conf: `nise milter
                                     --check-config --config FILE` must accept it
    <!-- doctest: serve -->          as run, with `nise serve` started first on
                                     a free loopback port (its store holds the
                                     two bundled sample mails, recorded by
                                     nise check); 127.0.0.1:8080 in the block
                                     is rewritten to that port
    <!-- doctest: console serve -->  console, with that server
    run and serve take "exit N..." (e.g. <!-- doctest: run exit 0 1 -->):
    the exit statuses a line may have (default 0); each line is run and
    checked on its own
    <!-- doctest: skip REASON -->    not run; REASON is printed (root-only
                                     system changes, long runs, remote hosts)

Unmarked blocks of those kinds fail the test, so a new snippet cannot drift
unnoticed. Other blocks (json, plain output) are not commands and are left
alone. The sandbox is a fresh directory holding `mail.eml` (the seed mail),
`examples/`, `contrib/`, `data/`, `build/` (links to the build), with the
built `nise` first on PATH and XDG_DATA_HOME inside it.

Usage: tests/doctest/doctest.py BUILD_DIR SOURCE_ROOT [FILE.md...]
Prints one line per block and ends with "doctest: N passed, N failed".
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

FENCE = re.compile(r"^(```+|~~~+)\s*([A-Za-z0-9_.+-]*)")
MARK = re.compile(r"^<!--\s*doctest:\s*(\S+)\s*(.*?)\s*-->\s*$")
RUNNABLE = {"sh", "shell", "console", "ini", "conf", "bash"}


def blocks(path):
    """Yields (line_no, info, marker, args, text) for each fenced block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    last_mark = None
    while i < len(lines):
        m = MARK.match(lines[i])
        if m:
            last_mark = (m.group(1), m.group(2), i)
            i += 1
            continue
        f = FENCE.match(lines[i])
        if not f:
            if lines[i].strip():
                last_mark = None
            i += 1
            continue
        fence, info = f.group(1), f.group(2).lower()
        start = i
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1
        mark = last_mark
        last_mark = None
        yield (start + 1, info, mark[0] if mark else None, mark[1] if mark else "",
               "\n".join(body))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sandbox:
    def __init__(self, build, root):
        self.dir = tempfile.mkdtemp(prefix="nise-doctest-")
        self.build, self.root = build, root
        for name in ("mail.eml", "missed.eml"):
            os.symlink(os.path.join(root, "examples", "seed-amazon-phish.eml"),
                       os.path.join(self.dir, name))
        for d in ("examples", "contrib", "data", "docs", "etc"):
            os.symlink(os.path.join(root, d), os.path.join(self.dir, d))
        os.symlink(build, os.path.join(self.dir, "build"))
        bindir = os.path.join(self.dir, ".bin")
        os.mkdir(bindir)
        os.symlink(os.path.join(build, "nise"), os.path.join(bindir, "nise"))
        self.env = dict(os.environ)
        self.env["PATH"] = bindir + ":" + self.env.get("PATH", "")
        self.env["XDG_DATA_HOME"] = os.path.join(self.dir, ".xdg")
        self.env["HOME"] = os.path.join(self.dir, ".home")
        os.mkdir(self.env["HOME"])
        self.env["NISE_DATA_DIR"] = os.path.join(root, "data")
        self.env.pop("NISE_CONFIG", None)
        self.env["LANG"] = "C.UTF-8"

    def sh(self, script, timeout=120):
        p = subprocess.run(["sh", "-e", "-c", script], cwd=self.dir, env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def strip_comment(line):
    """A trailing '# comment' of a shell line (not inside quotes)."""
    q = None
    for i, ch in enumerate(line):
        if q:
            if ch == q:
                q = None
        elif ch in "'\"":
            q = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line


def commands(text):
    """One command a line; a line ending in a backslash goes on."""
    out, cont = [], ""
    for line in text.split("\n"):
        if line.rstrip().endswith("\\"):
            cont += line.rstrip()[:-1] + " "
            continue
        s = strip_comment(cont + line).strip()
        cont = ""
        if s:
            out.append(s)
    return out


def match_output(expected, got):
    """expected lines against got lines, with '...' lines and trailing '…'."""
    exp = [l.rstrip() for l in expected]
    out = [l.rstrip() for l in got]
    while exp and not exp[-1]:
        exp.pop()
    while out and not out[-1]:
        out.pop()

    def m(i, j):
        if i == len(exp):
            return j == len(out)
        if exp[i].strip() == "...":
            return any(m(i + 1, k) for k in range(j, len(out) + 1))
        if j == len(out):
            return False
        e = exp[i]
        if e.endswith("…"):
            ok = out[j].startswith(e[:-1])
        else:
            ok = out[j] == e
        return ok and m(i + 1, j + 1)

    return m(0, 0)


def run_console(sb, text):
    cmd, expected, errors = None, [], []
    items = []
    for line in text.split("\n"):
        if line.startswith("$ "):
            if cmd is not None:
                items.append((cmd, expected))
            cmd, expected = line[2:], []
        elif cmd is not None:
            expected.append(line)
    if cmd is not None:
        items.append((cmd, expected))
    for cmd, expected in items:
        # the output is what the reader sees; the exit status is documented
        # elsewhere (check exits 1 on phishing), so it is not compared here
        rc, out = sb.sh(cmd)
        if not match_output(expected, out.split("\n")):
            errors.append("$ %s\n--- expected\n%s\n--- got\n%s" % (cmd, "\n".join(expected), out))
    return errors


def start_serve(sb):
    port = free_port()
    store = os.path.join(sb.dir, ".serve.lmdb")
    for eml in ("seed-amazon-phish.eml", "seed-amazon-phish-iso2022jp.eml"):
        subprocess.run([os.path.join(sb.build, "nise"), "check", "--db", store,
                        os.path.join(sb.root, "examples", eml)], env=sb.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = open(os.path.join(sb.dir, ".serve.log"), "w")
    p = subprocess.Popen([os.path.join(sb.build, "nise"), "serve", "--listen", "127.0.0.1:%d" % port,
                          "--db", os.path.join(sb.dir, ".serve.lmdb")],
                         cwd=sb.dir, env=sb.env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return p, port
        except OSError:
            time.sleep(0.1)
    p.kill()
    raise RuntimeError("nise serve did not start")


def run_block(sb, path, line, info, mark, args, text):
    if mark == "skip":
        if not args:
            return ["skip without a reason"]
        return None
    if mark in ("nise.conf", "milter.conf"):
        conf = os.path.join(sb.dir, ".doctest.conf")
        with open(conf, "w") as f:
            f.write(text + "\n")
        cmd = ("nise config check --config %s" if mark == "nise.conf"
               else "nise milter --check-config --config %s") % conf
        rc, out = sb.sh(cmd)
        return [] if rc == 0 else ["%s refused it (exit %d):\n%s" % (mark, rc, out)]
    words = args.split()
    serve = mark == "serve" or "serve" in words
    allowed = {0}
    if "exit" in words:
        allowed = {int(w) for w in words[words.index("exit") + 1:] if w.isdigit()}
    if mark in ("console", "run", "serve"):
        proc = None
        errors = []
        try:
            if serve:
                proc, port = start_serve(sb)
                text = text.replace("127.0.0.1:8080", "127.0.0.1:%d" % port)
            if mark == "console":
                return run_console(sb, text)
            for cmd in commands(text):
                rc, out = sb.sh(cmd)
                if rc not in allowed:
                    errors.append("$ %s\nexit %d:\n%s" % (cmd, rc, out))
        finally:
            if proc:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        return errors
    return ["unknown doctest marker '%s'" % mark]


def main():
    build = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2])
    files = sys.argv[3:]
    if not files:
        files = [os.path.join(root, "README.md")]
        for dp, dn, fn in os.walk(os.path.join(root, "docs")):
            dn.sort()
            files += [os.path.join(dp, f) for f in sorted(fn) if f.endswith(".md")]
    passed = failed = skipped = 0
    for path in files:
        rel = os.path.relpath(path, root)
        for line, info, mark, args, text in blocks(path):
            if info not in RUNNABLE and mark is None:
                continue
            where = "%s:%d" % (rel, line)
            if mark is None:
                failed += 1
                print("doctest: FAIL %s: a %s block without a <!-- doctest: ... --> marker" % (where, info))
                continue
            sb = Sandbox(build, root)
            try:
                errors = run_block(sb, path, line, info, mark, args, text)
            except Exception as e:  # a hung command is a failure, not a crash
                errors = ["%s: %s" % (type(e).__name__, e)]
            finally:
                sb.close()
            if errors is None:
                skipped += 1
                print("doctest: skip %s (%s)" % (where, args))
            elif errors:
                failed += 1
                print("doctest: FAIL %s (%s)\n%s" % (where, mark, "\n".join(errors)))
            else:
                passed += 1
                print("doctest: ok   %s (%s)" % (where, mark))
    print("doctest: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
