"""nnlib: the small neural-network library behind the course.

One module per step of the lab:

- :mod:`nnlib.data`           loading digits in the lab's layout, one-hot codes
- :mod:`nnlib.activations`    the sigmoid, tanh and the ReLU, with their derivatives
- :mod:`nnlib.parameters`     random initialization, unrolling Θ into a vector and back
- :mod:`nnlib.network`        forward propagation, predictions, the cost J(Θ)
- :mod:`nnlib.outputs`        the two output layers: K sigmoids, or a softmax
- :mod:`nnlib.regularization` the L2 penalty λ/(2m) ΣΘ² and its gradient
- :mod:`nnlib.backprop`       the gradient of J by backpropagation
- :mod:`nnlib.gradcheck`      checking that gradient with finite differences
- :mod:`nnlib.train`          minimizing J with scipy.optimize
- :mod:`nnlib.reference`      the course's trained reference weights
- :mod:`nnlib.plotting`       figures of digits and weights
- :mod:`nnlib.checks`         checks of the functions students write

Going deeper uses the same network, backpropagation and cost with keyword
arguments (``activation="relu"``, ``output="softmax"``, ``masks=...``), plus:

- :mod:`nnlib.dropout`        inverted-dropout masks
- :mod:`nnlib.schedules`      learning-rate schedules
- :mod:`nnlib.sgd`            minibatch SGD with momentum, L2, dropout, early stopping
"""
from .activations import relu, relu_gradient, sigmoid, sigmoid_gradient, tanh, tanh_gradient
from .backprop import cost_and_gradient, gradient, layer_gradient_norms
from .data import load_digits, load_idx, load_mat, one_hot, resize_digits
from .dropout import dropout_masks
from .gradcheck import (check_gradient_directions, check_gradients, debug_network,
                        numerical_gradient, relative_difference)
from .network import Forward, accuracy, cost, forward, predict
from .outputs import cross_entropy, cross_entropy_gradient, softmax
from .parameters import init_for, init_glorot, init_he, init_weights, roll, shapes, unroll
from .plotting import show_images
from .reference import reference_weights
from .regularization import l2_gradient, l2_penalty
from .schedules import constant_rate, cosine_decay, exponential_decay, step_decay, time_decay
from .sgd import SGDHistory, SGDResult, train_sgd
from .train import FitResult, fit
from . import checks  # nnlib.checks.check_cost(...) etc.; not gathered here

__all__ = [
    "sigmoid", "sigmoid_gradient", "tanh", "tanh_gradient", "relu", "relu_gradient",
    "load_digits", "load_idx", "load_mat", "one_hot", "resize_digits",
    "init_weights", "init_he", "init_glorot", "init_for", "roll", "shapes", "unroll",
    "Forward", "forward", "predict", "accuracy", "cost",
    "softmax", "cross_entropy", "cross_entropy_gradient",
    "l2_penalty", "l2_gradient",
    "gradient", "cost_and_gradient", "layer_gradient_norms",
    "numerical_gradient", "relative_difference", "debug_network", "check_gradients",
    "check_gradient_directions",
    "FitResult", "fit",
    "dropout_masks",
    "constant_rate", "step_decay", "exponential_decay", "time_decay", "cosine_decay",
    "SGDHistory", "SGDResult", "train_sgd",
    "reference_weights",
    "show_images",
    "checks",
]
