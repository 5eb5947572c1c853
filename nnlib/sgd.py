"""Minibatch stochastic gradient descent with momentum, for the deeper networks.

The first part minimized J(Θ) with scipy, which uses the gradient of all m examples
at every step.  With many examples and weights, a cheaper estimate does better:
each epoch shuffles the examples, cuts them into minibatches of ``batch_size`` and
takes one step per minibatch, using the gradient D of that minibatch alone (one
forward pass and one backpropagation of :mod:`nnlib.network` and
:mod:`nnlib.backprop` on its b rows).

Momentum (the form Keras uses) keeps a velocity v per weight, a running sum of
past steps, so that steps that agree add up and steps that zig-zag cancel::

    v ← μ v − η D
    Θ ← Θ + v                        (plain momentum)
    Θ ← Θ + μ v − η D                (Nesterov: look one step further along v)

with η the learning rate and μ the momentum; μ = 0 is plain SGD, Θ ← Θ − η D.

The cost J is the one of :func:`nnlib.cost` over the whole training set of m
examples.  A minibatch of b examples estimates its gradient by::

    D(l) = (1/b) Σ_batch (gradient of one example's cost) + (λ/m) Θ(l)   (bias column: no λ term)

with m, not b, in the weight-decay term, so that λ means what it meant in
chapter 4.  (Keras's ``kernel_regularizer=l2(c)`` corresponds to λ = 2 m c.)
"""
import time
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from . import _validate
from .activations import ACTIVATIONS
from .backprop import _backprop
from .data import _one_hot
from .dropout import _masks
from .network import _add_bias, _forward, accuracy, cost, predict
from .outputs import OUTPUTS
from .parameters import init_for, shapes


@dataclass
class SGDHistory:
    """Per-epoch record of a :func:`train_sgd` run; every array has one entry per epoch.

    Attributes
    ----------
    epoch : int array
        1, 2, ..., the number of epochs run.
    lr : float array
        Learning rate η used in the epoch.
    loss, accuracy : float arrays
        Training cross-entropy (without the λ term) and accuracy, averaged over
        the epoch's minibatches as they were trained on (with dropout on), the
        way Keras reports them.  They lag the end-of-epoch weights a little.
    val_loss, val_accuracy : float arrays or None
        On (X_val, y_val) with the weights at the end of the epoch, dropout off;
        None without a validation set.
    train_loss, train_accuracy : float arrays or None
        On the whole training set with the weights at the end of the epoch,
        dropout off (directly comparable with the validation curves); only with
        ``eval_train=True``.
    grad_norm : float array of shape (epochs, L - 1)
        Mean over the epoch's minibatches of ‖D(l)‖, the size of the gradient of
        Θ(l) (λ term included), one column per layer.
    seconds : float array
        Wall-clock time of the epoch's training steps (evaluation excluded).
    """

    epoch: np.ndarray
    lr: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    val_loss: np.ndarray = None
    val_accuracy: np.ndarray = None
    train_loss: np.ndarray = None
    train_accuracy: np.ndarray = None
    grad_norm: np.ndarray = None
    seconds: np.ndarray = field(default=None, repr=False)


@dataclass
class SGDResult:
    """What :func:`train_sgd` returns.

    Attributes
    ----------
    thetas : list of arrays, Θ(l) of shape (s_{l+1}, s_l + 1)
        The trained weights: the last epoch's, or with early stopping the best
        epoch's.
    history : SGDHistory
        Per-epoch curves.
    activation, output : str
        The hidden activation and the output layer, needed to use the weights.
    best_epoch : int
        The epoch (1-based) whose weights are returned.
    stopped_early : bool
        True if early stopping ended the training before ``epochs``.
    diverged : bool
        True if the loss became NaN or infinite (learning rate too large?);
        training then stops and the last finite weights are returned.
    message : str
        Why training stopped.
    seconds : float
        Wall-clock time of the whole run.
    """

    thetas: list = field(repr=False)
    history: SGDHistory = field(repr=False)
    activation: str
    output: str
    best_epoch: int
    stopped_early: bool
    diverged: bool
    message: str
    seconds: float = field(repr=False)

    def predict(self, X):
        """Predicted classes of X with the trained weights (dropout off)."""
        return predict(self.thetas, X, self.activation, self.output)

    def accuracy(self, X, y):
        """Accuracy on (X, y) with the trained weights (dropout off)."""
        return accuracy(self.thetas, X, y, self.activation, self.output)

    def loss(self, X, y):
        """Cost on (X, y) without the λ term (dropout off)."""
        return cost(self.thetas, X, y, 0.0, self.activation, self.output)


def _momentum_step(thetas, grads, velocity, lr, momentum, nesterov):
    """One update of every Θ(l) in place: v ← μ v − η D, then Θ ← Θ + v (or Nesterov's)."""
    for theta, D, v in zip(thetas, grads, velocity):
        v *= momentum
        v -= lr * D                                # v ← μ v − η D
        if nesterov:
            theta += momentum * v - lr * D         # Θ ← Θ + μ v − η D
        else:
            theta += v                             # Θ ← Θ + v


def _student_update(step, nesterov):
    """An update like :func:`_momentum_step` that calls ``step(theta, v, D, lr, momentum)`` per layer.

    The step's results are checked (a pair of arrays shaped like Θ(l); finite on
    the very first step, where v = 0 and nothing can have diverged yet) and
    copied into the trainer's own Θ(l) and v.  Later NaN or inf is left to the
    divergence check of :func:`train_sgd`, as for nnlib's own step.
    """
    if not callable(step):
        raise ValueError(f"step must be None or a function step(theta, v, D, lr, momentum) -> "
                         f"(theta_new, v_new); got {_validate._describe(step)}")
    if nesterov:
        raise ValueError("step and nesterov=True cannot be combined: your step is the whole "
                         "update; pass nesterov=False (or step=None for nnlib's Nesterov step)")
    first = [True]

    def update(thetas, grads, velocity, lr, momentum, nesterov):
        for l, (theta, D, v) in enumerate(zip(thetas, grads, velocity), start=1):
            try:
                result = step(theta, v, D, lr, momentum)
            except Exception as err:
                err.add_note(f"(raised by your step, called by train_sgd for Θ({l}) with "
                             f"lr = {lr:g}, momentum = {momentum:g})")
                raise
            theta_new, v_new = _checked_step(result, theta, l, first[0])
            theta[...] = theta_new
            v[...] = v_new
        first[0] = False

    return update


def _checked_step(result, theta, l, first):
    """(theta_new, v_new) from what a student's step returned, or a ValueError that says what is off."""
    what = f"for Θ({l}) of shape {theta.shape}"
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        hint = " (is a `return` missing?)" if result is None else ""
        raise ValueError(f"step must return a pair (theta_new, v_new); {what} it returned "
                         f"{_validate._describe(result)}{hint}")
    arrays = []
    for value, name in zip(result, ("theta_new", "v_new")):
        try:
            arr = np.asarray(value, dtype=theta.dtype)
        except (TypeError, ValueError):
            raise ValueError(f"step must return arrays of numbers; {what} its {name} is "
                             f"{_validate._describe(value)}") from None
        if arr.shape != theta.shape:
            raise ValueError(f"step returned {name} of shape {arr.shape} {what}; it must have "
                             f"the shape of Θ({l})")
        if first and not np.all(np.isfinite(arr)):
            raise ValueError(f"step returned NaN or inf in {name} {what} on the first step, "
                             f"from finite Θ, v = 0 and D")
        arrays.append(arr)
    return arrays


def _learning_rates(schedule, lr, epochs):
    """The learning rate of every epoch, checked: [η_0, η_1, ...]."""
    if schedule is None:
        return [lr] * epochs
    if not callable(schedule):
        raise ValueError(f"schedule must be None or a function (t, lr) -> rate such as "
                         f"nnlib.step_decay(0.5, 10); got {_validate._describe(schedule)}")
    rates = []
    for t in range(epochs):
        rate = schedule(t, lr)
        if not isinstance(rate, (int, float, np.floating)) or not np.isfinite(rate) or rate <= 0:
            raise ValueError(f"schedule must give a finite learning rate > 0; it gives "
                             f"{rate!r} at epoch t = {t} with lr = {lr}")
        rates.append(float(rate))
    return rates


@dataclass
class _Data:
    """A checked data set, ready for the training loop: a(1) = [1, X], the labels, Y one-hot."""

    a1: np.ndarray
    y: np.ndarray
    Y: np.ndarray


def _data(X, y, thetas, name_X="X", name_y="y"):
    X = _validate.inputs(X, thetas, name_X)
    K = thetas[-1].shape[0]
    y = _validate.labels(y, X.shape[0], K, name_y)
    return _Data(_add_bias(X), y, _one_hot(y, K).astype(X.dtype, copy=False))


def _check_training(X, y, layer_sizes, activation, output, initial_thetas, seed, dtype,
                    X_val, y_val, patience):
    """Validate the data and starting weights of :func:`train_sgd`."""
    sizes = _validate.layer_sizes(layer_sizes)
    activation = _validate.choice(activation, "activation", ACTIVATIONS)
    output = _validate.choice(output, "output", OUTPUTS)
    seed = _validate.seed(seed)
    dtype = _validate.dtype(dtype)
    if initial_thetas is None:
        thetas = init_for(activation, sizes, seed=seed, dtype=dtype)
    else:
        thetas = _validate.thetas(initial_thetas, "initial_thetas", dtype_=dtype)
        thetas = [t.copy() for t in thetas]        # trained in place: never the caller's
        if [t.shape for t in thetas] != shapes(sizes):
            raise ValueError(f"initial_thetas have shapes {[t.shape for t in thetas]}; "
                             f"layer_sizes {sizes} need {shapes(sizes)}")
    train = _data(X, y, thetas)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together; got only "
                         f"{'X_val' if y_val is None else 'y_val'}")
    val = None if X_val is None else _data(X_val, y_val, thetas, "X_val", "y_val")
    if patience is not None:
        patience = _validate.positive_int(patience, "patience")
        if val is None:
            raise ValueError("patience (early stopping) needs a validation set: pass X_val "
                             "and y_val, or patience=None")
    return thetas, train, val, activation, output, patience


def _evaluate(thetas, data, activation, output, block=2048):
    """Cost without the λ term and accuracy on a data set, dropout off, a block of rows at a time."""
    total, correct = 0.0, 0
    for i in range(0, data.y.shape[0], block):
        rows = slice(i, i + block)
        forward = _forward(thetas, data.a1[rows], activation, output)
        total += OUTPUTS[output].cost(forward.z[-1], data.Y[rows]) * data.Y[rows].shape[0]
        correct += int(np.count_nonzero(np.argmax(forward.h, axis=1) == data.y[rows]))
    m = data.y.shape[0]
    return float(total / m), correct / m


def train_sgd(X, y, layer_sizes, activation="relu", epochs=10, batch_size=128, lr=0.1,
              momentum=0.9, nesterov=False, schedule=None, lam=0.0, dropout=0.0,
              X_val=None, y_val=None, patience=None, seed=0, dtype=np.float64,
              initial_thetas=None, eval_train=False, progress=False, threads=1,
              output="softmax", step=None):
    """Train a network with minibatch SGD and momentum.

    Parameters
    ----------
    X : array of shape (m, s_1)
    y : int array of shape (m,), labels 0..K-1
    layer_sizes : list of int
        e.g. ``[784, 128, 64, 10]``; ``[784, 10]`` (no hidden layer) is softmax
        (multinomial logistic) regression.
    activation : {"relu", "tanh", "sigmoid"}, default "relu"
        Activation of every hidden layer.  The starting weights fit it: He for
        relu, Glorot for tanh and sigmoid (:func:`nnlib.init_for`).
    output : {"softmax", "sigmoid"}, default "softmax"
        Output layer and its cost (:mod:`nnlib.outputs`).
    epochs : int >= 1, default 10
        Passes over the training set (fewer if early stopping ends training).
    batch_size : int >= 1, default 128
        Examples per step; the last minibatch of an epoch may be smaller.
    lr : float > 0, default 0.1
        Learning rate η (of the first epoch, if a schedule changes it).
    momentum : float in [0, 1), default 0.9
        μ; 0 for plain SGD.
    nesterov : bool, default False
        Use Nesterov's momentum.
    schedule : function (t, lr) -> float, optional
        Learning rate of epoch t = 0, 1, ...; see :mod:`nnlib.schedules`.  None
        keeps ``lr`` constant.
    lam : float >= 0, default 0
        L2 regularization λ of the cost λ/(2m) Σ W² (bias excluded), as in chapter 4.
    dropout : float in [0, 1), default 0
        Drop rate p of inverted dropout after every hidden layer, during training only.
    X_val, y_val : arrays, optional
        A validation set, evaluated after every epoch.
    patience : int >= 1, optional
        Early stopping: stop when the validation loss has not improved for
        ``patience`` epochs, and return the weights of the best epoch.
    seed : int >= 0, default 0
        Seeds the starting weights, the shuffling and the dropout masks: the same
        seed gives the same history and weights.
    dtype : np.float32 or np.float64, default np.float64
        float32 halves the memory and is faster; the results then differ in the
        last digits from one machine to another, and grow apart over many epochs.
    initial_thetas : list of arrays, optional
        Start from these weights (copied, never changed) instead of random ones.
    eval_train : bool, default False
        Also evaluate the whole training set after every epoch (costs about a
        third of an epoch); fills ``history.train_loss`` and ``train_accuracy``.
    progress : bool, default False
        Show a tqdm progress bar that advances once per epoch.
    threads : int >= 1, default 1
        BLAS threads during training.  With one thread a run is repeatable bit for
        bit whatever the number of cores; more threads can be faster for wide
        layers on an otherwise idle machine.
    step : function (theta, v, D, lr, momentum) -> (theta_new, v_new), optional
        Your own update of one layer (chapter 10's exercise): called once per
        Θ(l) and minibatch with the layer's weights Θ(l), its velocity v, its
        gradient D(l), the epoch's learning rate η and μ; it returns the new Θ(l)
        and v, arrays of the same shapes.  None (the default) uses nnlib's
        v ← μ v − η D, Θ ← Θ + v.  Cannot be combined with ``nesterov=True``.

    Returns
    -------
    SGDResult
        ``.thetas``, ``.history`` (:class:`SGDHistory`), ``.predict(X)``,
        ``.accuracy(X, y)``, ``.best_epoch``...
    """
    start_time = time.perf_counter()
    thetas, train, val, activation, output, patience = _check_training(
        X, y, layer_sizes, activation, output, initial_thetas, seed, dtype, X_val, y_val, patience)
    epochs = _validate.positive_int(epochs, "epochs")
    batch_size = _validate.positive_int(batch_size, "batch_size")
    lr = _validate.positive(lr, "lr")
    momentum = _validate.fraction(momentum, "momentum")
    rates = _learning_rates(schedule, lr, epochs)
    lam = _validate.nonnegative(lam, "lam")
    dropout = _validate.fraction(dropout, "dropout")
    threads = _validate.positive_int(threads, "threads")
    for value, name in ((nesterov, "nesterov"), (eval_train, "eval_train"), (progress, "progress")):
        _validate.flag(value, name)
    update = _momentum_step if step is None else _student_update(step, nesterov)

    settings = _Settings(activation, output, batch_size, momentum, nesterov, lam, dropout,
                         np.random.default_rng([seed, 1]),    # a stream apart from the weights'
                         update)
    velocity = [np.zeros_like(t) for t in thetas]
    record = {key: [] for key in SGDHistory.__dataclass_fields__ if key != "epoch"}
    best = (np.inf, 0, None)                       # (validation loss, epoch, weights)
    stopped_early = diverged = False
    message = f"ran all {epochs} epochs"
    bar = _progress_bar(epochs, activation) if progress else None

    with threadpool_limits(limits=threads, user_api="blas"), \
            np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t, eta in enumerate(rates):
            previous = [theta.copy() for theta in thetas]
            tic = time.perf_counter()
            loss, train_accuracy, norms = _epoch(thetas, velocity, train, eta, settings)
            seconds = time.perf_counter() - tic
            if not np.isfinite(loss) or not all(np.all(np.isfinite(th)) for th in thetas):
                thetas[:] = previous
                diverged = True
                returned = f"weights of epoch {t}" if t else "the starting weights"
                message = (f"stopped in epoch {t + 1}: the loss became NaN or infinite "
                           f"(learning rate {eta:g} too large?); {returned} returned")
                break
            for key, value in (("lr", eta), ("loss", loss), ("accuracy", train_accuracy),
                               ("grad_norm", norms), ("seconds", seconds)):
                record[key].append(value)
            if eval_train:
                for key, value in zip(("train_loss", "train_accuracy"),
                                      _evaluate(thetas, train, activation, output)):
                    record[key].append(value)
            if val is not None:
                val_loss, val_accuracy = _evaluate(thetas, val, activation, output)
                record["val_loss"].append(val_loss)
                record["val_accuracy"].append(val_accuracy)
                if patience is not None and val_loss < best[0]:
                    best = (val_loss, t + 1, [theta.copy() for theta in thetas])
            if bar is not None:
                bar.update(1)
                bar.set_postfix({k: f"{v[-1]:.4f}" for k, v in record.items()
                                 if k in ("loss", "val_loss") and v}, refresh=False)
            if patience is not None and t + 1 - best[1] >= patience:
                stopped_early = t + 1 < epochs
                message = (f"early stopping after epoch {t + 1}: no better validation loss "
                           f"for {patience} epochs; weights of epoch {best[1]} returned")
                break
    if bar is not None:
        bar.close()

    best_epoch = len(record["loss"])
    if patience is not None and best[2] is not None:      # early stopping: the best weights
        thetas, best_epoch = best[2], best[1]
        if not stopped_early and not diverged:
            message = f"ran all {epochs} epochs; weights of the best epoch ({best_epoch}) returned"
    return SGDResult(thetas=thetas, history=_history(record, len(thetas)), activation=activation,
                     output=output, best_epoch=best_epoch, stopped_early=stopped_early,
                     diverged=diverged, message=message, seconds=time.perf_counter() - start_time)


@dataclass
class _Settings:
    """What every step of a run uses besides the weights and the learning rate."""

    activation: str
    output: str
    batch_size: int
    momentum: float
    nesterov: bool
    lam: float
    dropout: float
    rng: np.random.Generator
    update: object            # _momentum_step, or the student's step (_student_update)


def _progress_bar(epochs, activation):
    from tqdm.auto import tqdm
    return tqdm(total=epochs, desc=f"SGD {activation}", unit="epoch")


def _history(record, n_layers):
    """Turn the lists of per-epoch values into arrays (None for what was not measured)."""
    n = len(record["loss"])
    arrays = {key: np.array(values) if values else None for key, values in record.items()}
    arrays["grad_norm"] = np.array(record["grad_norm"]).reshape(n, n_layers)
    for key in ("lr", "loss", "accuracy", "seconds"):
        arrays[key] = np.array(record[key], dtype=np.float64)
    return SGDHistory(epoch=np.arange(1, n + 1), **arrays)


def _epoch(thetas, velocity, train, lr, s):
    """One pass over the shuffled training set, one step per minibatch.

    Returns the mean minibatch loss, the fraction of examples predicted right (both
    as they were trained on) and the mean gradient norm of each layer.
    """
    m = train.y.shape[0]
    hidden = [theta.shape[0] for theta in thetas[:-1]]
    order = s.rng.permutation(m)
    total_loss, correct, n_batches = 0.0, 0, 0
    norms = np.zeros(len(thetas))
    for start in range(0, m, s.batch_size):
        batch = order[start:start + s.batch_size]
        a1, Y, b = train.a1[batch], train.Y[batch], batch.size
        masks = _masks(s.rng, b, hidden, s.dropout, a1.dtype.type) if s.dropout else None
        forward = _forward(thetas, a1, s.activation, s.output, masks)
        # λ·b/m: backprop divides its λ term by the b rows it sees; the cost's is λ/m
        grads = _backprop(thetas, forward, Y, s.lam * b / m, s.activation, s.output, masks)
        norms += [np.linalg.norm(D) for D in grads]
        s.update(thetas, grads, velocity, lr, s.momentum, s.nesterov)
        total_loss += OUTPUTS[s.output].cost(forward.z[-1], Y) * b
        correct += int(np.count_nonzero(np.argmax(forward.h, axis=1) == train.y[batch]))
        n_batches += 1
    return total_loss / m, correct / m, norms / n_batches
