"""What every check shares: run the student's function on cases, compare, explain.

A check runs the student's function on several cases (always on fresh copies of
the inputs), compares each result with nnlib's own version of the step and, when
one differs, raises ``AssertionError`` with a message that says

- which case, what was expected and what came back;
- the likely mistake, when the result equals what a known mistake gives (each
  check runs deliberately wrong versions of the step on the same case);
- how to get the inputs of that case: ``nnlib.checks.inputs("cost", 3)``.

It also fails a function that changes its inputs in place, that does not return
within :data:`TIME_LIMIT` seconds (an endless loop costs that exercise, not the
whole notebook), or that raises; in that last case the student's own exception is
raised again, with a note naming the case, and nnlib's frames are hidden from the
traceback (``__tracebackhide__``), so that it ends in the student's code.
"""
import contextlib
import io
import signal
import threading
import weakref

import numpy as np

from .. import _validate

#: Seconds a student's function may take on one case before the check gives up.
TIME_LIMIT = 20.0

RTOL, ATOL = 1e-6, 1e-10

#: name -> (check function, cases function, nnlib's version of the step)
REGISTRY = {}


class CheckFailure(AssertionError):
    """A failed check: an AssertionError whose message says everything.

    In Jupyter it is shown as its message alone.  A traceback would only lead into
    nnlib's own frames, which say nothing about the student's code.
    """

    def _render_traceback_(self):               # IPython shows this instead of a traceback
        return [f"\x1b[0;31mAssertionError\x1b[0m: {self}"]


class _TooSlow(BaseException):
    """Raised inside a student's function when it runs out of time.

    A BaseException, so that a student's ``except Exception`` does not swallow it.
    """


def register(name, check, cases, nnlib_version):
    """Make a check known to :func:`inputs` and :func:`use`."""
    REGISTRY[name] = (check, cases, nnlib_version)


def inputs(name, case):
    """The inputs of one case of a check, to try your function on them yourself.

    Parameters
    ----------
    name : str
        The step, as a failing check names it (``"cost"``, ``"gradient"``...).
    case : int
        The case number the message gives (1 for the first).

    Returns
    -------
    tuple
        Fresh copies of the arguments the check passed to your function.
    """
    if name not in REGISTRY:
        raise ValueError(f"name must be one of {sorted(REGISTRY)}; got {name!r}")
    cases = REGISTRY[name][1]()
    if isinstance(case, bool) or not isinstance(case, int) or not 1 <= case <= len(cases):
        raise ValueError(f"case must be an integer from 1 to {len(cases)}; got {case!r}")
    return _copy(cases[case - 1][1])


_PASSED = weakref.WeakKeyDictionary()       # function -> {name: passed?}


def use(name, fn):
    """Your function if it passes its check, else nnlib's, with a one-line note.

    Later cells of a chapter call this so that a student who is stuck on one
    exercise can still run the rest.  The check runs quietly, once per function.

    Parameters
    ----------
    name : str
        The step (``"cost"``, ``"gradient"``...).
    fn : callable or None
        Your function (None if you have not written it yet).

    Returns
    -------
    callable
        ``fn``, or nnlib's version of the step.
    """
    if name not in REGISTRY:
        raise ValueError(f"name must be one of {sorted(REGISTRY)}; got {name!r}")
    check, _, nnlib_version = REGISTRY[name]
    results = _PASSED.setdefault(fn, {}) if _weakrefable(fn) else {}
    if name not in results:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                check(fn)
            results[name] = True
        except Exception:
            results[name] = False
    if results[name]:
        return fn
    print(f"Note: your {name} does not pass its check yet, so the cells below use nnlib's.")
    return nnlib_version


def _weakrefable(fn):
    try:
        weakref.ref(fn)
        return True
    except TypeError:
        return False


def require_callable(fn, signature):
    __tracebackhide__ = True
    if not callable(fn):
        raise ValueError(f"fn must be a function {signature}; got {_validate._describe(fn)} "
                         f"(run the cell that defines it first)")


def _copy(args):
    """Fresh copies of the arrays (and lists of arrays) in ``args``."""
    def one(x):
        if isinstance(x, (list, tuple)) and not isinstance(x, str):
            return type(x)(one(v) for v in x)
        return x.copy() if isinstance(x, np.ndarray) else x
    return tuple(one(x) for x in args)


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise _TooSlow in the running code after ``seconds`` (main thread, Unix only)."""
    if (threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer")):
        yield
        return

    def stop(signum, frame):
        raise _TooSlow()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reproduce(name, i):
    return f'to try it yourself: args = nnlib.checks.inputs("{name}", {i})'


def call(fn, args, name, where, i):
    """fn(*args) within the time limit; a student's exception is re-raised with a note."""
    __tracebackhide__ = True
    try:
        with _time_limit(TIME_LIMIT):
            return fn(*args)
    except _TooSlow:
        raise CheckFailure(f"{name} did not finish within {TIME_LIMIT:g} s on {where}: an "
                             f"endless loop, or a Python loop over every entry?  "
                             f"({_reproduce(name, i)})") from None
    except Exception as err:
        err.add_note(f"(raised by your {name} on {where}; {_reproduce(name, i)})")
        raise


def close(got, expected):
    """Same shape and the same numbers up to rounding (lists are compared item by item)."""
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(close(g, e) for g, e in zip(got, expected)))
    got, expected = np.asarray(got), np.asarray(expected)
    return (got.shape == expected.shape and got.dtype.kind in "biuf"
            and bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL)))


def likely_mistake(got, args, mistakes, same=close):
    """The description of the first known mistake whose result equals ``got``, or None.

    ``mistakes`` is a list of (description, wrong_version); each wrong version is
    run on (a copy of) the same case as the student's function.
    """
    for description, wrong_version in mistakes:
        try:
            with np.errstate(all="ignore"):
                result = wrong_version(*_copy(args))
        except Exception:                    # a variant that cannot run here matches nothing
            continue
        if same(got, result):
            return description
    return None


def fail(name, where, difference, mistake, i=None):
    """Raise the AssertionError a student reads: what differs, the likely mistake, the case."""
    __tracebackhide__ = True
    hint = (f"Likely mistake: {mistake}." if mistake else
            "It matches none of the known mistakes; compare each step with its equation "
            "in the chapter.")
    repro = f"\n  ({_reproduce(name, i)})" if i is not None else ""
    raise CheckFailure(f"{name} is wrong on {where}:\n  {difference}\n  {hint}{repro}")


def changed_input(before, after, names):
    """How a call changed its arguments (the first that changed), in words; None if not."""
    for name, b, a in zip(names, before, after):
        if isinstance(b, (list, tuple)):
            found = changed_input(b, a, [f"{name}[{k}]" for k in range(len(b))])
        elif isinstance(b, np.ndarray):
            # rounding-size changes (θᵢ + ε − ε) are not changes
            found = _validate.change(name, b, a, rtol=1e-12)
        else:
            found = None
        if found:
            return found
    return None


def run(name, fn, cases, reference, mistakes, describe, arg_names, convert=None, after=None,
        inplace_hint=None):
    """Compare fn with ``reference`` on every case; print ✓ or raise AssertionError.

    ``arg_names`` name the arguments in messages; ``inplace_hint`` replaces the usual
    advice when the function changes an input.
    """
    __tracebackhide__ = True
    for i, (label, args) in enumerate(cases, start=1):
        where = f"case {i} of {len(cases)} ({label})"
        expected = reference(*_copy(args))
        given = _copy(args)
        got = call(fn, given, name, where, i)
        change = changed_input(args, given, arg_names)
        if change is not None:
            fail(name, where, f"it changed its input in place: {change}",
                 inplace_hint or "your function writes into an array it was given (through a "
                 "view such as t[:, 0] = 0, or with +=); work on a copy, e.g. t = t.copy(), so "
                 "that the caller's weights and data stay as they were", i)
        if convert is not None:
            got = convert(got, args, name, where)
        if not close(got, expected):
            fail(name, where, describe(expected, got, args), likely_mistake(got, args, mistakes),
                 i)
        if after is not None:
            after(got, given, args, name, where)
    print(f"✓ {name}: matches nnlib on {len(cases)} cases")


# --- turning what the student returned into arrays ------------------------------------

def not_none(got, name, where):
    __tracebackhide__ = True
    if got is None:
        raise CheckFailure(f"{name} returned None on {where} (is a `return` missing?)")


def as_array(got, args, name, where):
    """The student's result as a float array; a clear failure for None and non-numbers."""
    __tracebackhide__ = True
    not_none(got, name, where)
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure(f"{name} must return numbers; on {where} it returned "
                             f"{_validate._describe(got)}") from None


def as_number(got, args, name, where):
    __tracebackhide__ = True
    arr = as_array(got, args, name, where)
    if arr.size != 1:
        raise CheckFailure(f"{name} must return one number; on {where} it returned an array "
                             f"of shape {arr.shape} (is the sum over the examples and the K "
                             f"outputs missing?)")
    return float(arr.reshape(()))


def describe_number(expected, got, args):
    return f"expected {expected:.6g}, got {got:.6g}"


def worst(expected, got):
    """Index of the largest difference between two arrays of the same shape (NaN counts most)."""
    diff = np.nan_to_num(np.abs(got - expected), nan=np.inf)
    return np.unravel_index(np.argmax(diff), diff.shape) if diff.ndim else ()


def index(idx):
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def describe_array(expected, got, args, what):
    if got.shape != expected.shape:
        return f"expected an array of shape {expected.shape}, got shape {got.shape}"
    i = worst(expected, got)
    return (f"largest difference at {what}{index(i) if i else ''}: expected "
            f"{expected[i]:.6g}, got {got[i]:.6g}")
