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
"""
from .activations import sigmoid, sigmoid_gradient
from .backprop import cost_and_gradient, gradient
from .data import load_digits, load_idx, load_mat, one_hot, resize_digits
from .gradcheck import check_gradients, debug_network, numerical_gradient, relative_difference
from .network import Forward, accuracy, cost, forward, predict
from .parameters import init_weights, roll, shapes, unroll
from .plotting import show_images
from .reference import reference_weights
from .train import FitResult, fit

__all__ = [
    "sigmoid", "sigmoid_gradient",
    "load_digits", "load_idx", "load_mat", "one_hot", "resize_digits",
    "init_weights", "roll", "shapes", "unroll",
    "Forward", "forward", "predict", "accuracy", "cost",
    "gradient", "cost_and_gradient",
    "numerical_gradient", "relative_difference", "debug_network", "check_gradients",
    "FitResult", "fit",
    "reference_weights",
    "show_images",
]
