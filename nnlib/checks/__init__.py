"""Checks of the functions a student writes, one check per step of the course.

Each ``check_*`` function takes *your* function, runs it on several cases (the lab's
debug network, random networks of odd sizes, λ > 0, edge values) and compares what
it returns with nnlib's own version of the step.  When everything matches it prints
one line starting with ✓::

    >>> import nnlib
    >>> nnlib.checks.check_cost(cost)
    ✓ cost: matches nnlib on 5 cases

When something is off it raises ``AssertionError`` saying which case, what was
expected and what came back, and how to get that case's inputs
(``nnlib.checks.inputs("cost", 3)``).  If the result is exactly what one of the
classic mistakes produces, the message names that mistake: each check runs
deliberately wrong versions of the step on the same case and compares them with
your result.  Your function always gets fresh copies of the inputs, and a check
fails if it changes them in place, or runs longer than ``TIME_LIMIT`` seconds.

Numbers are compared with a relative tolerance of 1e-6 (and an absolute one of
1e-10): rounding differences between two correct ways of writing a step are far
smaller, every mistake the checks know about is far larger.

:func:`use` lets the rest of a chapter run while an exercise is unsolved: it
returns your function if it passes its check, and nnlib's otherwise.
"""
from ._core import TIME_LIMIT, inputs, use
from .deeper import (check_dropout_backward, check_dropout_forward, check_hidden_delta,
                     check_init_he, check_momentum_step, check_softmax_cross_entropy,
                     check_time_decay_rate)
from .lab import (check_cost, check_forward, check_gradient, check_init_weights,
                  check_numerical_gradient, check_predict, check_regularized_cost,
                  check_regularized_gradient, check_sigmoid_gradient)

__all__ = ["check_forward", "check_predict", "check_cost", "check_regularized_cost",
           "check_sigmoid_gradient", "check_init_weights", "check_gradient",
           "check_regularized_gradient", "check_numerical_gradient",
           "check_softmax_cross_entropy", "check_hidden_delta", "check_init_he",
           "check_momentum_step", "check_dropout_forward", "check_dropout_backward",
           "check_time_decay_rate", "inputs", "use", "TIME_LIMIT"]
