"""nnlib: the small neural-network library behind the course.

One module per step of the lab:

- :mod:`nnlib.data`        loading digits in the lab's layout, one-hot codes
- :mod:`nnlib.activations` the sigmoid and its gradient
- :mod:`nnlib.parameters`  random initialization, unrolling Θ into a vector and back
- :mod:`nnlib.network`     forward propagation, predictions, the cost J(Θ)
- :mod:`nnlib.backprop`    the gradient of J by backpropagation
- :mod:`nnlib.gradcheck`   checking that gradient with central differences
- :mod:`nnlib.train`       minimizing J with scipy.optimize
- :mod:`nnlib.reference`   the course's trained reference weights
- :mod:`nnlib.plotting`    figures of digits and weights

Going deeper (several hidden layers, softmax output, minibatch SGD):

- :mod:`nnlib.activations` also tanh and the ReLU, with their gradients
- :mod:`nnlib.parameters`  also He and Glorot initializations
- :mod:`nnlib.softmax`     the softmax output and the categorical cross-entropy
- :mod:`nnlib.dropout`     inverted-dropout masks
- :mod:`nnlib.deep`        forward pass, cost and backpropagation of a deep softmax network
- :mod:`nnlib.schedules`   learning-rate schedules
- :mod:`nnlib.sgd`         minibatch SGD with momentum, weight decay, dropout, early stopping
"""
from .activations import relu, relu_gradient, sigmoid, sigmoid_gradient, tanh, tanh_gradient
from .backprop import cost_and_gradient, gradient
from .data import load_digits, load_idx, load_mat, one_hot, resize_digits
from .deep import (deep_accuracy, deep_forward, deep_gradient, deep_loss, deep_loss_and_gradient,
                   deep_predict, layer_gradient_norms)
from .dropout import dropout_masks
from .gradcheck import (check_gradient_directions, check_gradients, debug_network,
                        numerical_gradient, relative_difference)
from .network import Forward, accuracy, cost, forward, predict
from .parameters import init_for, init_glorot, init_he, init_weights, roll, shapes, unroll
from .plotting import show_images
from .reference import reference_weights
from .schedules import constant_rate, cosine_decay, exponential_decay, step_decay, time_decay
from .sgd import SGDHistory, SGDResult, train_sgd
from .softmax import cross_entropy, cross_entropy_gradient, softmax
from .train import FitResult, fit
from . import checks  # nnlib.checks.check_cost(...) etc.; not gathered here

__all__ = [
    "sigmoid", "sigmoid_gradient",
    "load_digits", "load_idx", "load_mat", "one_hot", "resize_digits",
    "init_weights", "roll", "shapes", "unroll",
    "Forward", "forward", "predict", "accuracy", "cost",
    "gradient", "cost_and_gradient",
    "numerical_gradient", "relative_difference", "debug_network", "check_gradients",
    "check_gradient_directions",
    "FitResult", "fit",
    "reference_weights",
    "show_images",
    "tanh", "tanh_gradient", "relu", "relu_gradient",
    "softmax", "cross_entropy", "cross_entropy_gradient",
    "init_he", "init_glorot", "init_for",
    "dropout_masks",
    "deep_forward", "deep_predict", "deep_accuracy", "deep_loss", "deep_gradient",
    "deep_loss_and_gradient", "layer_gradient_norms",
    "constant_rate", "step_decay", "exponential_decay", "time_decay", "cosine_decay",
    "SGDHistory", "SGDResult", "train_sgd",
    "checks",
]
