"""nbgrader configuration of the backpropagation course (nbgrader 0.9.6).

`python tools/grading/course.py init COURSE_DIR` copies this file into COURSE_DIR; run every
nbgrader command from there.  The folders are nbgrader's own:

    source/<chapter>/<chapter>.ipynb        instructor version (solutions), made from book/
    release/<chapter>/<chapter>.ipynb       student version    (nbgrader generate_assignment)
    submitted/<student>/<chapter>/...       what students hand in (course.py collect)
    autograded/<student>/<chapter>/...      executed and scored  (nbgrader autograde)
    feedback/<student>/<chapter>/...html    for the student      (nbgrader generate_feedback)
    gradebook.db                            the scores           (nbgrader export -> grades.csv)
"""
import os

c = get_config()  # noqa: F821  (nbgrader provides get_config when it reads this file)

c.CourseDirectory.course_id = "nnlib-backprop"
# The course tools record the files they wrote in .nnlib-output; nbgrader need not copy it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            ".nnlib-output"]

# --- running a submission ---------------------------------------------------------------
# Each cell may run for CELL_TIMEOUT seconds; then the kernel is interrupted, the cell gets
# the error below (so a check cell scores 0), and the next cells still run.  The slowest
# legitimate cell of the book (chapter 10 training six architectures) takes 9.4 s on the 2-core
# development machine when it is quiet; at a load average of 7-11 everything there ran about
# 5 times slower (so about 50 s).  CELL_TIMEOUT leaves a wide margin for that and for a
# student's slower but correct code, and bounds what a cell that never ends costs the run.
# An endless loop inside a student's function is stopped sooner, by nnlib.checks.TIME_LIMIT
# (20 s per call), in the check and in use().
CELL_TIMEOUT = 120
c.Execute.timeout = CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True
c.Execute.error_on_timeout = {
    "ename": "CellTimeoutError",
    "evalue": "this cell did not finish within the grader's time limit and was stopped",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: this cell did not finish within the grader's "
                  "time limit and was stopped (an endless loop?); the cells after it still ran"],
}
# After an interrupt the kernel must report idle within this time, or nbgrader gives up on
# the whole notebook; a loaded machine needs more than nbclient's default of 4 s.
c.Execute.iopub_timeout = 60
c.Execute.startup_timeout = 120

# nbgrader gives 0 points to a check cell that writes anything to stderr.  A numpy warning
# (overflow in exp, divide by zero in log) is not a wrong answer: the check decides that.
# Drop stderr that holds nothing but Python warnings, before the cells are scored.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\A(?:[^\n]*:\d+: \w*Warning: [^\n]*\n(?:[ \t]+[^\n]*\n?)*)+\Z"


# --- never write through a link -----------------------------------------------------------
def _refuse_links():
    """Stop every nbgrader command if a folder or file it writes is a symbolic link."""
    root = os.path.dirname(os.path.abspath(__file__))
    written = ["release", "autograded", "feedback", "gradebook.db", "grades.csv"]
    for name in written:
        top = os.path.join(root, name)
        if os.path.islink(top):
            raise SystemExit(f"nbgrader_config.py: {top} is a symbolic link; nbgrader would write "
                             "through it. Remove the link first.")
        for folder, dirs, files in os.walk(top):
            for entry in dirs + files:
                path = os.path.join(folder, entry)
                if os.path.islink(path):
                    raise SystemExit(f"nbgrader_config.py: {path} is a symbolic link; nbgrader "
                                     "would write through it. Remove the link first.")


_refuse_links()
