"""Training: minimize J(Θ) with an optimizer from :mod:`scipy.optimize`.

The optimizer works on the unrolled vector θ (:func:`nnlib.unroll`); each step
asks for J(θ) and its gradient, which one forward and one backward pass give
(:func:`nnlib.cost_and_gradient`).
"""
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.optimize
from threadpoolctl import threadpool_limits

from . import _validate
from .backprop import _cost_and_gradient
from .gradcheck import _call, _functions, _gradient_as_vector, _number
from .network import check_problem
from .parameters import _roll, init_weights, shapes, unroll

METHODS = ("L-BFGS-B", "CG", "TNC")


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
        The trained weights.
    history : array of shape (n_iterations + 1,)
        J(Θ) before training and after each iteration.
    n_iterations : int
        Iterations the optimizer made (for TNC: its outer, Newton iterations).
    n_evaluations : int
        Evaluations of J and its gradient.
    method, message : str
        The optimizer and its reason for stopping.
    seconds : float
        Wall-clock time of the optimization (varies from run to run).
    """

    thetas: list
    history: np.ndarray
    n_iterations: int
    n_evaluations: int
    method: str
    message: str
    seconds: float = field(repr=False)

    @property
    def cost(self):
        """Final value of J(Θ)."""
        return float(self.history[-1])


class _Objective:
    """J and ∇J of the unrolled vector, remembering recent values for the history.

    ``cost_and_gradient(thetas) -> (J, [D(1), ...])`` computes them for the weight
    matrices; the optimizer sees the unrolled vectors.
    """

    def __init__(self, layer_shapes, cost_and_gradient):
        self.layer_shapes, self.cost_and_gradient = layer_shapes, cost_and_gradient
        self.n_evaluations = 0
        self.recent = {}

    def __call__(self, theta):
        self.n_evaluations += 1
        J, grads = self.cost_and_gradient(_roll(theta, self.layer_shapes))
        if len(self.recent) > 8:
            self.recent.clear()
        self.recent[theta.tobytes()] = J
        return J, np.concatenate([g.ravel() for g in grads])

    def cost_at(self, theta):
        J = self.recent.get(theta.tobytes())
        return J if J is not None else self(theta)[0]


def _nnlibs(a1, Y, lam, activation, output):
    """nnlib's J and gradient, on the checked data (a(1) with its bias column, one-hot Y)."""
    return lambda thetas: _cost_and_gradient(thetas, a1, Y, lam, activation, output)


def _yours(cost, gradient, X, y, lam):
    """J and gradient from your functions, each given fresh copies and checked.

    A function that writes into its arguments would corrupt the optimizer's vector,
    so it gets copies and is stopped with a ValueError if it changed them.
    """
    def cost_and_gradient(thetas):
        J = _number(_call(cost, "cost", thetas, X, y, lam), "cost", "the current weights")
        layer_shapes = [t.shape for t in thetas]
        grads = _call(gradient, "gradient", thetas, X, y, lam)
        if isinstance(grads, np.ndarray) and grads.shape == (sum(t.size for t in thetas),):
            grads = _roll(grads, layer_shapes)               # unrolled, as the lab returns it
        return J, _roll(_gradient_as_vector(grads, thetas), layer_shapes)
    return cost_and_gradient


def fit(X, y, layer_sizes, lam=1.0, maxiter=400, method="L-BFGS-B", seed=0,
        initial_thetas=None, progress=False, threads=1, activation="sigmoid", output="sigmoid",
        cost=None, gradient=None):
    """Train a network by minimizing its regularized cost with a scipy optimizer.

    Parameters
    ----------
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    layer_sizes : list of int
        e.g. ``[400, 25, 10]``; ``layer_sizes[0]`` must equal X's width.
    lam : float >= 0, default 1.0
        Regularization strength λ.
    maxiter : int >= 1, default 400
        Iteration limit.  TNC has none, so for TNC it limits cost evaluations.
    method : {"L-BFGS-B", "CG", "TNC"}, default "L-BFGS-B"
        The :func:`scipy.optimize.minimize` method.  CG is the lab's fmincg.
    seed : int, default 0
        Seed of :func:`nnlib.init_weights` for the starting point.
    initial_thetas : list of arrays, optional
        Start from these weights instead of random ones.
    progress : bool, default False
        Show a tqdm progress bar of the iterations.
    threads : int, default 1
        BLAS threads during training.  One thread is fastest for this size: with
        more, idle BLAS threads spin between the optimizer's steps.
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
        Activation of the hidden layers.
    output : {"sigmoid", "softmax"}, default "sigmoid"
        Output layer and its cost.
    cost, gradient : functions (thetas, X, y, lam), optional
        Your own cost (returning a number) and gradient (returning a list of arrays
        shaped like ``thetas``, or their unrolled vector), to train with them as the
        lab does; nnlib's for the one not given.  ``activation`` and ``output`` then
        must keep their defaults: your functions define the network.

    Returns
    -------
    FitResult
    """
    sizes = _validate.layer_sizes(layer_sizes)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    maxiter = _validate.positive_int(maxiter, "maxiter")
    threads = _validate.positive_int(threads, "threads")
    if initial_thetas is None:
        initial_thetas = init_weights(sizes, seed=seed)
    initial_thetas = _validate.thetas(initial_thetas, "initial_thetas", dtype_=np.float64)
    thetas0, a1, Y, lam, activation, output, _ = check_problem(
        initial_thetas, X, y, lam, activation, output)
    if (cost is not None or gradient is not None) and (activation, output) != ("sigmoid",
                                                                               "sigmoid"):
        raise ValueError(f"activation and output choose nnlib's network; with your own cost and "
                         f"gradient leave them at 'sigmoid' (got {activation!r}, {output!r})")
    if [t.shape for t in thetas0] != shapes(sizes):
        raise ValueError(f"initial_thetas have shapes {[t.shape for t in thetas0]}; "
                         f"layer_sizes {sizes} need {shapes(sizes)}")
    if Y.shape[1] != sizes[-1]:
        raise ValueError(f"layer_sizes ends with {sizes[-1]} outputs but Θ has {Y.shape[1]}")

    if cost is None and gradient is None:
        objective = _Objective(shapes(sizes), _nnlibs(a1, Y, lam, activation, output))
    else:
        gradient, cost = _functions(gradient, cost)           # nnlib's for one not given
        labels = np.argmax(Y, axis=1)                         # y, checked
        objective = _Objective(shapes(sizes), _yours(cost, gradient, a1[:, 1:], labels, lam))
    theta0 = unroll(thetas0)
    history = []
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=maxiter, desc=f"{method} λ={lam:g}", unit="it")

    def callback(theta):
        history.append(objective.cost_at(theta))
        if bar is not None:
            bar.update(1)
            bar.set_postfix(J=f"{history[-1]:.4f}", refresh=False)

    options = {"maxfun": maxiter} if method == "TNC" else {"maxiter": maxiter}
    if method == "L-BFGS-B":
        options["maxfun"] = 10 * maxiter
    start = time.perf_counter()
    with threadpool_limits(limits=threads, user_api="blas"):
        history.append(objective(theta0)[0])
        result = scipy.optimize.minimize(objective, theta0, jac=True, method=method,
                                         callback=callback, options=options)
    seconds = time.perf_counter() - start
    if bar is not None:
        bar.close()
    return FitResult(
        thetas=[t.copy() for t in _roll(result.x, shapes(sizes))],
        history=np.array(history),
        n_iterations=int(result.nit),
        n_evaluations=objective.n_evaluations,
        method=method,
        message=str(result.message),
        seconds=seconds,
    )
