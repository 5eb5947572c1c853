"""Speed of nnlib's cost and gradient, and of nnlib.fit, against PyTorch and scikit-learn.

The lab's network: 400-25-10 sigmoid units, the 5000 digits of ``nnlib.load_digits()``,
λ = 1, float64 throughout.  The targets (from the issue), on a 2-core machine:

1. One evaluation of J(Θ) and its gradient by ``nnlib.backprop._cost_and_gradient``, the
   unchecked function the optimizer calls, takes at most 1.5 times as long as PyTorch's
   CPU autograd doing the same work with the same number of threads (1 and 2).  It is
   timed as ``nnlib.fit`` calls it (a(1) and the one-hot Y made once), and for comparison
   the public ``nnlib.cost_and_gradient``, which first checks its arguments and builds
   a(1) and the one-hot Y (no target for that one).
2. ``nnlib.fit`` with 400 L-BFGS-B iterations takes at most 5 s.  For comparison (no
   target) the time per iteration of scikit-learn's ``MLPClassifier(solver="lbfgs",
   hidden_layer_sizes=(25,), activation="logistic", alpha=1, max_iter=400, tol=0,
   random_state=0)``.  Same layers and weights count, but sklearn's output layer is a
   softmax (nnlib's: K sigmoids) and it starts from other random weights, so only the
   time per iteration (seconds / ``n_iter_``) is comparable.  Reported with 1 and 2 BLAS
   threads for both; ``nnlib.fit`` uses 1 thread unless told otherwise, sklearn every
   core the BLAS finds.  The 2-thread trainings stop after 50 iterations
   (``--fit-iterations-2``): enough for the time per iteration, and on a busy machine
   two BLAS threads can make L-BFGS ten times slower (idle BLAS threads spin, or wait
   to be scheduled, between the optimizer's steps).

PyTorch does exactly nnlib's work on the same arrays: a(1) with its bias column,
z(2) = a(1) Θ(1)ᵀ, a(2) = [1, σ(z(2))], z(3) = a(2) Θ(2)ᵀ, the cost as the sum over the K
outputs of the binary cross-entropy from the logits z(3) (``binary_cross_entropy_with_
logits``, reduction "sum") divided by m, plus λ/(2m) Σ Θ² without the bias columns; the
gradient by ``torch.autograd.grad``.  The script first checks that both give the same J and
gradient, to rtol 1e-10 (for the gradient, entries that are tiny next to the largest one
are compared to 1e-10 of the largest: they are differences of large sums, so their
relative rounding error is meaningless).

How it measures.  Threads are set with ``threadpoolctl.threadpool_limits`` for numpy's
BLAS and ``torch.set_num_threads`` for PyTorch.  The contenders run interleaved in one
process, in blocks of 20 calls and in a rotating order, so that other programs on the
machine slow them alike (blocks, because each library's idle threads keep spinning for a
while after its last call and would slow the other's next call); every call is timed.
The verdicts use the best time of each (noise only ever adds time, so the minimum is the
best estimate of a call's own cost, as the ``timeit`` documentation recommends); medians
are printed next to them.  A training lasts seconds, long enough for other programs to
take turns on the CPUs, so trainings are also timed in CPU time (``time.process_time``,
what the process itself computed: on an idle machine, the wall-clock time of a one-thread
run); the one-thread verdicts use it, the two-thread ones the wall clock.  The load
average before and after is printed too: on a busy machine, rerun.

Run it by hand (not collected by pytest), in an environment with the course's
requirements first and then this folder's (PyTorch is needed only here)::

    python -m venv /work/venv-bench
    /work/venv-bench/bin/pip install -r requirements.txt
    /work/venv-bench/bin/pip install -r tests/benchmarks/requirements.txt
    /work/venv-bench/bin/python tests/benchmarks/bench_speed.py [--rounds 10] [--fit-repeats 2]

It takes about a minute on a quiet 2-core machine (longer on a busy one).
"""
import argparse
import os
import platform
import time
import warnings
from collections import namedtuple

import numpy as np
from numpy.testing import assert_allclose
from threadpoolctl import threadpool_info, threadpool_limits

import nnlib
from nnlib.backprop import _cost_and_gradient
from nnlib.network import check_problem

LAYERS = [400, 25, 10]
LAM = 1.0
MAXITER = 400
TARGET_CALL = 1.5           # nnlib / torch, per call, same threads
TARGET_FIT_SECONDS = 5.0    # nnlib.fit, 400 iterations

Run = namedtuple("Run", "wall cpu iterations evaluations")   # one training: seconds, counts


def torch_cost_and_gradient(a1, Y, lam):
    """PyTorch autograd doing nnlib's work on the same a(1) and Y: f(thetas) -> (J, grads)."""
    import torch
    import torch.nn.functional as F
    a1_t, Y_t = torch.from_numpy(a1), torch.from_numpy(Y)
    m = a1.shape[0]
    ones = torch.ones((m, 1), dtype=torch.float64)

    def cost_and_gradient(thetas):
        theta1, theta2 = (torch.from_numpy(t).requires_grad_() for t in thetas)
        a2 = torch.cat([ones, torch.sigmoid(a1_t @ theta1.T)], dim=1)
        z3 = a2 @ theta2.T
        J = F.binary_cross_entropy_with_logits(z3, Y_t, reduction="sum") / m
        J = J + lam / (2 * m) * (theta1[:, 1:].square().sum() + theta2[:, 1:].square().sum())
        grads = torch.autograd.grad(J, [theta1, theta2])
        return J.item(), [g.numpy() for g in grads]

    return cost_and_gradient


def check_same_work(nnlib_fn, torch_fn, thetas, what):
    """Assert that nnlib and torch compute the same J and gradient at ``thetas``."""
    J_n, grads_n = nnlib_fn(thetas)
    J_t, grads_t = torch_fn(thetas)
    assert_allclose(J_t, J_n, rtol=1e-10, err_msg=f"J differs at the {what} weights")
    for l, (g_n, g_t) in enumerate(zip(grads_n, grads_t), start=1):
        assert_allclose(g_t, g_n, rtol=1e-10, atol=1e-10 * np.abs(g_n).max(),
                        err_msg=f"∂J/∂Θ({l}) differs at the {what} weights")


def time_calls(contenders, threads, rounds, block, budget):
    """Seconds of every call: each round calls each contender ``block`` times in a row,
    the contenders in a rotating order; stops after ``rounds`` rounds or ``budget`` seconds."""
    import torch
    torch.set_num_threads(threads)
    names = list(contenders)
    times = {name: [] for name in names}
    with threadpool_limits(limits=threads, user_api="blas"):
        for fn in contenders.values():          # warm up: first calls load code, make arrays
            for _ in range(3):
                fn()
        start = time.perf_counter()
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                fn = contenders[name]
                for _ in range(block):
                    tic = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - tic)
            if time.perf_counter() - start > budget:
                break
    return {name: np.array(t) for name, t in times.items()}


def time_fits(X, y, repeats, maxiter):
    """nnlib.fit and sklearn's MLPClassifier at 1 and 2 BLAS threads, interleaved.

    ``maxiter`` maps a thread count to the iteration limit of both libraries.  Returns
    {(library, threads): [Run, ...]}.  Both are timed around the whole call (argument
    checks and initialization included), by the wall clock and in CPU time.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    runs = {}
    for rep in range(repeats):
        order = [("nnlib", 1), ("sklearn", 1), ("nnlib", 2), ("sklearn", 2)]
        if rep % 2:
            order.reverse()
        for library, threads in order:
            if library == "nnlib":
                wall, cpu = time.perf_counter(), time.process_time()
                result = nnlib.fit(X, y, LAYERS, lam=LAM, maxiter=maxiter[threads],
                                   threads=threads)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                run = Run(wall, cpu, result.n_iterations, result.n_evaluations)
            else:
                clf = MLPClassifier(solver="lbfgs", hidden_layer_sizes=(LAYERS[1],),
                                    activation="logistic", alpha=LAM,
                                    max_iter=maxiter[threads], tol=0, random_state=0)
                with threadpool_limits(limits=threads, user_api="blas"), \
                        warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    wall, cpu = time.perf_counter(), time.process_time()
                    clf.fit(X, y)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                run = Run(wall, cpu, clf.n_iter_, None)
            runs.setdefault((library, threads), []).append(run)
    return runs


def verdict(ok):
    return "PASS" if ok else "FAIL"


def blas_description():
    for info in threadpool_info():
        if info["user_api"] == "blas" and "numpy" in info["filepath"]:
            return (f"{info['internal_api']} {info['version']} ({info.get('architecture', '?')}), "
                    f"{info['num_threads']} threads by default")
    return "unknown BLAS"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10,
                        help="rounds of interleaved calls per thread count (default 10)")
    parser.add_argument("--block", type=int, default=20,
                        help="calls of one contender in a row within a round (default 20)")
    parser.add_argument("--budget", type=float, default=40.0,
                        help="stop the calls of one thread count after this many seconds")
    parser.add_argument("--fit-repeats", type=int, default=2,
                        help="trainings of each library at each thread count (default 2)")
    parser.add_argument("--fit-iterations-2", type=int, default=50,
                        help="iterations of the 2-thread trainings, which only give the time "
                             "per iteration (default 50: two BLAS threads can make L-BFGS many "
                             "times slower on a busy machine)")
    parser.add_argument("--no-fit", action="store_true", help="skip the training benchmark")
    args = parser.parse_args()

    import sklearn
    import torch
    load_before = os.getloadavg()
    print("nnlib speed benchmark: 400-25-10 sigmoid network, 5000 digits, λ = 1, float64")
    print(f"python {platform.python_version()}, numpy {np.__version__} with {blas_description()}, "
          f"torch {torch.__version__}, scikit-learn {sklearn.__version__}, "
          f"{os.cpu_count()} CPUs")

    X, y = nnlib.load_digits()
    _, a1, Y, lam, _, _, _ = check_problem(nnlib.reference_weights(), X, y, LAM)
    torch_fn = torch_cost_and_gradient(a1, Y, lam)
    for what, weights in [("reference", nnlib.reference_weights()),
                          ("initial", nnlib.init_weights(LAYERS, seed=0))]:
        thetas = check_problem(weights, X, y, LAM)[0]
        check_same_work(lambda t: _cost_and_gradient(t, a1, Y, lam), torch_fn, thetas, what)
        check_same_work(lambda t: nnlib.cost_and_gradient(t, X, y, lam), torch_fn, thetas, what)
    print("same work: torch's J and gradient equal nnlib's to rtol 1e-10 "
          "at the reference and at the initial weights")

    thetas = check_problem(nnlib.reference_weights(), X, y, LAM)[0]
    contenders = {
        "inner": lambda: _cost_and_gradient(thetas, a1, Y, lam),
        "public": lambda: nnlib.cost_and_gradient(thetas, X, y, lam),
        "torch": lambda: torch_fn(thetas),
    }
    results = {threads: time_calls(contenders, threads, args.rounds, args.block, args.budget)
               for threads in (1, 2)}

    print()
    print("1. J and its gradient, one call: ms, best of n interleaved calls [median]")
    print("   inner      = nnlib.backprop._cost_and_gradient(thetas, a1, Y, lam), as fit calls it")
    print("   public     = nnlib.cost_and_gradient(thetas, X, y, lam), argument checks included")
    print("   torch      = PyTorch CPU autograd, same arrays, same threads")
    header = f"   {'threads':>7}  {'n':>4}  {'inner':>14}  {'public':>14}  {'torch':>14}"
    print(header)
    for threads, t in results.items():
        cells = "  ".join(f"{np.min(t[k]) * 1e3:6.2f} [{np.median(t[k]) * 1e3:6.2f}]"
                          for k in ("inner", "public", "torch"))
        print(f"   {threads:>7}  {len(t['torch']):>4}  {cells}")
    print()
    print(f"   ratio to torch, best [median]; target: inner/torch <= {TARGET_CALL} "
          f"at the same threads")
    print(f"   {'threads':>7}  {'inner':>13}  {'public':>13}  verdict: best [median]")
    call_ok = {}
    for threads, t in results.items():
        best_t, med_t = np.min(t["torch"]), np.median(t["torch"])
        ratios = {k: (np.min(t[k]) / best_t, np.median(t[k]) / med_t)
                  for k in ("inner", "public")}
        call_ok[threads] = ratios["inner"][0] <= TARGET_CALL
        by_median = verdict(ratios["inner"][1] <= TARGET_CALL)
        cells = "  ".join(f"{b:5.3f} [{m:5.3f}]" for b, m in ratios.values())
        print(f"   {threads:>7}  {cells}  {verdict(call_ok[threads])} [{by_median}]")

    fit_ok = {}
    if not args.no_fit:
        maxiter = {1: MAXITER, 2: args.fit_iterations_2}
        runs = time_fits(X, y, args.fit_repeats, maxiter)
        print()
        print(f"2. Training with L-BFGS-B, {MAXITER} iterations at 1 thread and "
              f"{maxiter[2]} at 2 (for the time per")
        print(f"   iteration), best of {args.fit_repeats} [median], timed around the whole call; "
              f"CPU = process CPU time")
        print(f"   {'':22} {'threads':>7}  {'wall s':>15}  {'CPU s':>6}  {'iterations':>10}  "
              f"{'evaluations':>11}  {'ms/iteration wall':>17}  {'CPU':>6}")
        per_iteration = {}      # (library, threads) -> (wall best, wall median, CPU best)
        for (library, threads), rs in sorted(runs.items()):
            wall = np.array([r.wall / r.iterations for r in rs])
            cpu = np.array([r.cpu / r.iterations for r in rs])
            per_iteration[library, threads] = (wall.min(), np.median(wall), cpu.min())
            best = min(rs, key=lambda r: r.wall)
            name = {"nnlib": "nnlib.fit", "sklearn": "sklearn MLPClassifier"}[library]
            evals = "-" if best.evaluations is None else best.evaluations
            median_wall = np.median([r.wall for r in rs])
            print(f"   {name:22} {threads:>7}  {best.wall:6.2f} [{median_wall:6.2f}]"
                  f"  {min(r.cpu for r in rs):6.2f}  {best.iterations:>10}  {evals:>11}  "
                  f"{wall.min() * 1e3:7.2f} [{np.median(wall) * 1e3:7.2f}]  {cpu.min() * 1e3:6.2f}")
        print("   (the CPU time of a 2-thread run adds up both threads, spinning included)")

        print()
        wall_it, _, cpu_it = per_iteration["nnlib", 1]
        fit_ok["400 iterations"] = cpu_it * MAXITER <= TARGET_FIT_SECONDS
        print(f"   target: nnlib.fit (threads=1, its default), {MAXITER} iterations <= "
              f"{TARGET_FIT_SECONDS:g} s: {cpu_it * MAXITER:.2f} s CPU time "
              f"({wall_it * MAXITER:.2f} s wall)  {verdict(fit_ok['400 iterations'])}")
        print("   for comparison (no target): nnlib / sklearn time per iteration")
        n1, s1 = per_iteration["nnlib", 1], per_iteration["sklearn", 1]
        n2, s2 = per_iteration["nnlib", 2], per_iteration["sklearn", 2]
        rows = [("1 thread each", n1[2] / s1[2], f"CPU time; wall {n1[0] / s1[0]:.3f} best, "
                                                 f"{n1[1] / s1[1]:.3f} median"),
                ("2 threads each", n2[0] / s2[0], f"wall best; {n2[1] / s2[1]:.3f} median"),
                ("defaults: nnlib 1 thread, sklearn 2", n1[0] / s2[0],
                 f"wall best; {n1[1] / s2[1]:.3f} median")]
        for label, ratio, how in rows:
            print(f"     {label:36} {ratio:5.3f}   ({how})")

    load_after = os.getloadavg()
    print()
    print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
          f"on {os.cpu_count()} CPUs" + ("  (busy machine: numbers are noisy, rerun)"
                                          if load_before[0] > os.cpu_count() / 2 else ""))
    print("summary: " + ", ".join(
        [f"call {t} thread{'s' if t > 1 else ''} (best) {verdict(ok)}" for t, ok in call_ok.items()]
        + [f"fit {k} {verdict(ok)}" for k, ok in fit_ok.items()]))


if __name__ == "__main__":
    main()
