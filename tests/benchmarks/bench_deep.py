"""Speed of nnlib.train_sgd against PyTorch on the same network and optimizer.

One epoch of a 784-128-256-128-64-10 ReLU network with a softmax output, minibatches
of 128, SGD with learning rate 0.1 and momentum 0.9, on the course's 5000 digits at
28×28, both libraries in float32 (nnlib's default is float64; the chapters use it, but
PyTorch trains in float32, so the comparison is made there), at 1 and 2 threads.
Target: nnlib takes at most 1.25 times PyTorch's time.

Run it by hand (not collected by pytest) in an environment that has torch, e.g.

    /work/venv-bench/bin/python tests/benchmarks/bench_deep.py [--repeats 7] [--epochs 3]

The two libraries run interleaved in the same process (nnlib, torch, nnlib, ...),
each run trains a few epochs, and the median epoch time over all runs is reported,
so that other programs running on the machine slow both about equally.  nnlib's
epoch time is ``history.seconds`` (the training steps only); PyTorch's is timed
around the same work: shuffle, slice the minibatch, forward, loss, backward, step,
and keep the running loss and accuracy as nnlib does.
"""
import argparse
import os
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

import nnlib

LAYERS = [784, 128, 256, 128, 64, 10]
BATCH, LR, MOMENTUM = 128, 0.1, 0.9
TARGET = 1.25


def nnlib_epochs(X, y, threads, epochs, seed):
    """Epoch times (s) of nnlib.train_sgd."""
    result = nnlib.train_sgd(X, y, LAYERS, activation="relu", epochs=epochs, batch_size=BATCH,
                             lr=LR, momentum=MOMENTUM, seed=seed, threads=threads,
                             dtype=np.float32)
    return list(result.history.seconds), result.history.loss[-1]


def torch_epochs(X, y, threads, epochs, seed):
    """Epoch times (s) of the same training in PyTorch."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    layers = []
    for s_in, s_out in zip(LAYERS[:-1], LAYERS[1:]):
        layers += [torch.nn.Linear(s_in, s_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    m = Xt.shape[0]
    times = []
    for _ in range(epochs):
        tic = time.perf_counter()
        order = torch.randperm(m)
        total, correct = 0.0, 0
        for start in range(0, m, BATCH):
            batch = order[start:start + BATCH]
            X_b, y_b = Xt[batch], yt[batch]
            optimizer.zero_grad()
            logits = model(X_b)
            loss = loss_fn(logits, y_b)
            loss.backward()
            optimizer.step()
            total += loss.item() * batch.numel()
            correct += int((logits.argmax(dim=1) == y_b).sum())
        times.append(time.perf_counter() - tic)
    return times, total / m


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per library and thread count")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    import torch
    X, y = nnlib.load_digits(size=28)
    X = X.astype(np.float32)
    print(f"data: X {X.shape} {X.dtype}; network {'-'.join(map(str, LAYERS))} relu + softmax; "
          f"batch {BATCH}, SGD lr {LR} momentum {MOMENTUM}; numpy {np.__version__}, "
          f"torch {torch.__version__}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    runners = {"nnlib": nnlib_epochs, "torch": torch_epochs}
    times = {(name, k): [] for name in runners for k in args.threads}
    final_loss = {}
    # warm-up: first calls pay for imports, thread pools and page faults
    for run in runners.values():
        for k in args.threads:
            run(X, y, k, 1, 0)
    for rep in range(args.repeats):
        for k in args.threads:
            for name, run in runners.items():
                with threadpool_limits(limits=k):          # numpy's BLAS for both
                    epoch_times, loss = run(X, y, k, args.epochs, rep)
                times[name, k] += epoch_times
                final_loss[name, k] = loss

    print(f"\nmedian ms per epoch over {args.repeats} runs × {args.epochs} epochs "
          f"(5000 samples, {-(-5000 // BATCH)} minibatches)")
    print(f"{'threads':>7} {'nnlib':>9} {'torch':>9} {'ratio':>7}  target <= {TARGET}")
    ok = True
    for k in args.threads:
        ours = 1000 * statistics.median(times["nnlib", k])
        theirs = 1000 * statistics.median(times["torch", k])
        ratio = ours / theirs
        ok &= ratio <= TARGET
        print(f"{k:>7} {ours:>9.1f} {theirs:>9.1f} {ratio:>7.2f}  "
              f"{'PASS' if ratio <= TARGET else 'FAIL'}")
    best_ours = min(1000 * statistics.median(times["nnlib", k]) for k in args.threads)
    best_theirs = min(1000 * statistics.median(times["torch", k]) for k in args.threads)
    print(f"{'best':>7} {best_ours:>9.1f} {best_theirs:>9.1f} {best_ours / best_theirs:>7.2f}")
    print("final training loss of the last run: " +
          ", ".join(f"{name} {k} thr {v:.3f}" for (name, k), v in final_loss.items()))
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(other programs slow both libraries; with 2 threads they hurt most)")
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
