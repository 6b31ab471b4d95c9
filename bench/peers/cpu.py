# SPDX-License-Identifier: MIT
"""cpu.py — CPU time from the OS for the race (bench/peers/run.py).

A daemon's CPU is read from /proc/PID/stat for its main process and every
descendant (workers, spamd children, rspamd's helpers): utime + stime of each
live process plus cutime + cstime (children it has already reaped, whose time
the kernel moves to the parent). The sum over the tree only grows, so the
difference between two readings is what the daemon spent in between, however
its workers come and go. A client's CPU is getrusage(RUSAGE_CHILDREN) of this
process: every client it started and waited for.

tests/bench-peers-cpu.py checks the parsing on fixed lines and the tree sum on
a live process.
"""
import os
import resource

HZ = os.sysconf("SC_CLK_TCK")


def parse_stat(line):
    """The fields the race needs from one /proc/PID/stat line.

    The command name is in parentheses and may itself hold spaces and
    parentheses ("spamd child", "(sd-pam)"), so it runs from the first "(" to
    the last ")"; the numbered fields follow: 3 state, 4 ppid, 14 utime,
    15 stime, 16 cutime, 17 cstime (clock ticks; proc(5))."""
    lp = line.index("(")
    rp = line.rindex(")")
    f = line[rp + 2:].split()
    return {"pid": int(line[:lp]), "comm": line[lp + 1:rp], "state": f[0], "ppid": int(f[1]),
            "utime": int(f[11]), "stime": int(f[12]), "cutime": int(f[13]), "cstime": int(f[14])}


def all_stats(proc="/proc"):
    out = {}
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        try:
            with open(os.path.join(proc, name, "stat")) as f:
                st = parse_stat(f.read())
        except (OSError, ValueError, IndexError):
            continue  # gone between listdir and open
        out[st["pid"]] = st
    return out


def tree_ticks(root, stats=None):
    """Clock ticks used by process ROOT and all its descendants, reaped children included."""
    stats = all_stats() if stats is None else stats
    kids = {}
    for st in stats.values():
        kids.setdefault(st["ppid"], []).append(st["pid"])
    total, todo, seen = 0, [root], set()
    while todo:  # an explicit stack: process trees can be deep
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        st = stats[pid]
        total += st["utime"] + st["stime"] + st["cutime"] + st["cstime"]
        todo.extend(kids.get(pid, []))
    return total


def tree_seconds(root):
    return tree_ticks(root) / HZ


def clients_seconds():
    """CPU seconds of every child process this process has waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
