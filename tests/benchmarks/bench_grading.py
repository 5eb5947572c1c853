"""How long nbgrader takes to autograde the course: one complete submission, and a class of 30.

    .venv/bin/python tests/benchmarks/bench_grading.py               # 3 students, every chapter
    .venv/bin/python tests/benchmarks/bench_grading.py --students 1 --chapters 03_cost 05_backprop

Makes a course folder from book/ in a temporary folder (tools/grading/course.py init, then
nbgrader generate_assignment), hands in the solutions for every chapter as each of N students,
and runs ``nbgrader autograde <chapter>`` once per chapter for the whole class, as an instructor
would.  nbgrader logs with timestamps; the time from "Sanitizing" one student's notebook to the
next is that submission's cost, the time before the first is the run's fixed cost.  Prints, per
chapter, the seconds per submission and the fixed cost, then:

- one complete submission (every chapter)  = sum over chapters of the mean seconds per submission;
- a class of 30 = sum over chapters of (fixed cost + 30 × seconds per submission), extrapolated
  from N students;

with the CPU seconds of nbgrader and its kernels (the wall time on a shared, loaded machine says
more about the neighbours than about the course), the load average and numpy's runtime
(numpy.show_runtime()).  It is a benchmark, not a test: nothing is asserted.
"""
import argparse
import datetime
import importlib.util
import os
import pathlib
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("course", ROOT / "tools" / "grading" / "course.py")
course_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_tool)

MARKER = re.compile(r"^[ \t]*###[ \t]*(BEGIN|END) SOLUTION[ \t]*$", re.M)
STAMP = "%Y-%m-%d %H:%M:%S"


def nbgrader(course, *args):
    env = dict(os.environ)
    env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args,
                           "--Application.log_format=%(asctime)s.%(msecs)03d %(message)s",
                           f"--Application.log_datefmt={STAMP}"],
                          cwd=course, capture_output=True, text=True, env=env)


def solved(release, source):
    """The release with every solution cell answered by the instructor's solution."""
    answers = {c.metadata["nbgrader"]["grade_id"]: MARKER.sub("", c.source) for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    return release


def per_student(log, end):
    """(fixed seconds before the first student, {student: seconds}) from nbgrader's log."""
    events = []
    for line in log.splitlines():
        m = re.match(r"(\S+ \S+)\.(\d{3}) Sanitizing \S*submitted[/\\]([^/\\]+)[/\\]", line)
        if m:
            t = datetime.datetime.strptime(m.group(1), STAMP).timestamp() + int(m.group(2)) / 1000
            events.append((t, m.group(3)))
    return events, {s: (events[i + 1][0] if i + 1 < len(events) else end) - t
                    for i, (t, s) in enumerate(events)}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3, help="class size to measure (default 3)")
    parser.add_argument("--chapters", nargs="*", help="chapters (default: all with nbgrader cells)")
    parser.add_argument("--keep", help="make the course here and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)

    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="bench-grading-"))
    course = work / "course"
    written = course_tool.init(course, names=args.chapters, log=lambda m: None)
    chapters = [p.parent.name for p in written]
    for chapter in chapters:
        run = nbgrader(course, "generate_assignment", chapter, "--force")
        if run.returncode:
            sys.exit(f"generate_assignment {chapter} failed:\n{run.stderr[-3000:]}")
        release = nbformat.read(course / "release" / chapter / f"{chapter}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / chapter / f"{chapter}.ipynb", as_version=4)
        nb = solved(release, source)
        for k in range(1, args.students + 1):
            target = course / "submitted" / f"student{k:02d}" / chapter / f"{chapter}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)

    print(f"{'chapter':36s} {'fixed s':>8s} {'s/submission':>13s} {'CPU s/sub.':>11s}")
    rows = {}
    load_before = os.getloadavg()
    for chapter in chapters:
        cpu, start = children_cpu(), time.time()
        run = nbgrader(course, "autograde", chapter)
        end, cpu = time.time(), children_cpu() - cpu
        if run.returncode:
            print(f"autograde {chapter} failed:\n{run.stderr[-3000:]}")
        events, each = per_student(run.stderr, end)
        fixed = events[0][0] - start if events else end - start
        mean = sum(each.values()) / max(len(each), 1)
        rows[chapter] = (fixed, mean, cpu / max(len(each), 1))
        print(f"{chapter:36s} {fixed:8.1f} {mean:13.1f} {cpu / max(len(each), 1):11.1f}", flush=True)
    load_after = os.getloadavg()

    one = sum(mean for _, mean, _ in rows.values())
    one_cpu = sum(c for _, _, c in rows.values())
    fixed = sum(f for f, _, _ in rows.values())
    print()
    print(f"one complete submission ({len(chapters)} chapters): {one:.0f} s wall "
          f"({one / 60:.1f} min), {one_cpu:.0f} s CPU (nbgrader + kernels; fixed costs shared)")
    print(f"a class of 30, extrapolated from {args.students}: {fixed + 30 * one:.0f} s "
          f"= {(fixed + 30 * one) / 60:.0f} min wall (fixed {fixed:.0f} s + 30 × {one:.0f} s)")
    print(f"load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
        print(f"CPU: {model}")
    except (OSError, StopIteration):
        pass
    np.show_runtime()
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
