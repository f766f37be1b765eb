"""Optimizers: SGD, Adagrad and Adam, each a rule for turning gradients into an update.

Each optimizer updates the parameters in place, one array at a time, and keeps
what it remembers (Adagrad's sums of squares, Adam's moving averages) under
the array's name. ``params`` and ``grads`` are ``RNNParams`` or ``LSTMParams``
(anything with ``items()``).
"""

import numpy as np

from rnn_book.checks import all_finite, as_positive

__all__ = ["SGD", "Adagrad", "Adam", "make_optimizer"]


def _check_lr(lr):
    return as_positive("lr (the learning rate)", lr)


def _pairs(params, grads):
    """``(name, theta, g)`` for every array; ValueError unless grads match params and are finite.

    Checked whole before any array changes, so a bad gradient never leaves
    the parameters half updated, or silently broadcast, or NaN.
    """
    p_items, g_items = params.items(), grads.items()
    if [n for n, _ in p_items] != [n for n, _ in g_items]:
        raise ValueError(f"grads must have the arrays of params, {[n for n, _ in p_items]}; "
                         f"got {[n for n, _ in g_items]}")
    for (name, theta), (_, g) in zip(p_items, g_items):
        if np.shape(g) != np.shape(theta):
            raise ValueError(f"grads.{name} must have the shape of params.{name}, "
                             f"{np.shape(theta)}; got {np.shape(g)}")
        if not all_finite(g):
            raise ValueError(f"grads.{name} holds NaN or infinity; no update made")
    return [(name, theta, g) for (name, theta), (_, g) in zip(p_items, g_items)]


# --8<-- [start:SGD]
class SGD:
    """Stochastic gradient descent: theta <- theta - lr * g.

    Examples
    --------
    >>> from rnn_book.train.optim import SGD
    >>> from rnn_book.rnn import init_params
    >>> params = init_params(k=2, d=1, rng=0)
    >>> grads = params.zeros_like(); grads.b_h += 1.0
    >>> SGD(lr=0.5).update(params, grads); params.b_h
    array([[-0.5]])
    """

    def __init__(self, lr=0.1):
        self.lr = _check_lr(lr)

    def update(self, params, grads):
        """Update every array of ``params`` in place from ``grads``."""
        for _, theta, g in _pairs(params, grads):
            theta -= self.lr * g
# --8<-- [end:SGD]


# --8<-- [start:Adagrad]
class Adagrad:
    """Adagrad: each weight's update is scaled down by all the gradients it has seen.

    G <- G + g**2, theta <- theta - lr * g / sqrt(G + eps), elementwise
    (the rule of min-char-rnn, with eps = 1e-8 inside the root).

    Examples
    --------
    >>> from rnn_book.train.optim import Adagrad
    >>> from rnn_book.rnn import init_params
    >>> params = init_params(k=2, d=1, rng=0)
    >>> grads = params.zeros_like(); grads.b_h += 2.0
    >>> opt = Adagrad(lr=0.1)
    >>> opt.update(params, grads); params.b_h.round(6)  # first update: lr * g / |g|
    array([[-0.1]])
    """

    def __init__(self, lr=0.1, eps=1e-8):
        self.lr, self.eps = _check_lr(lr), as_positive("eps", eps)
        self.G = {}  # name -> running sum of squared gradients

    def update(self, params, grads):
        """Update every array of ``params`` in place from ``grads``."""
        for name, theta, g in _pairs(params, grads):
            G = self.G.setdefault(name, np.zeros_like(theta))
            # --8<-- [start:Adagrad_math]
            G += g * g
            theta -= self.lr * g / np.sqrt(G + self.eps)
            # --8<-- [end:Adagrad_math]
# --8<-- [end:Adagrad]


# --8<-- [start:Adam]
class Adam:
    """Adam: an update along a moving average of g, scaled by one of g**2.

    m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g**2,
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps), with the bias
    corrections m_hat = m / (1 - b1**n), v_hat = v / (1 - b2**n) at update n.

    Examples
    --------
    >>> from rnn_book.train.optim import Adam
    >>> from rnn_book.rnn import init_params
    >>> params = init_params(k=2, d=1, rng=0)
    >>> grads = params.zeros_like(); grads.b_h += 3.0
    >>> Adam(lr=0.01).update(params, grads); params.b_h.round(6)  # first update: about lr
    array([[-0.01]])
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if isinstance(beta, bool) or not isinstance(beta, (int, float, np.number)) \
                    or not 0 <= beta < 1:
                raise ValueError(f"{name} must be a number in [0, 1); got {beta!r}")
        self.lr, self.beta1, self.beta2 = _check_lr(lr), float(beta1), float(beta2)
        self.eps = as_positive("eps", eps)
        self.m, self.v = {}, {}  # name -> moving averages of g and g**2
        self.n = 0  # updates made

    def update(self, params, grads):
        """Update every array of ``params`` in place from ``grads``."""
        pairs = _pairs(params, grads)
        self.n += 1
        b1, b2 = self.beta1, self.beta2
        for name, theta, g in pairs:
            m = self.m.setdefault(name, np.zeros_like(theta))
            v = self.v.setdefault(name, np.zeros_like(theta))
            # --8<-- [start:Adam_math]
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**self.n)  # early averages are biased towards 0
            v_hat = v / (1 - b2**self.n)
            theta -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            # --8<-- [end:Adam_math]
# --8<-- [end:Adam]


OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam}


def make_optimizer(name, lr):
    """``SGD``, ``Adagrad`` or ``Adam`` by name, with learning rate ``lr``.

    Examples
    --------
    >>> from rnn_book.train.optim import make_optimizer
    >>> type(make_optimizer("adam", 0.01)).__name__
    'Adam'
    """
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}; got {name!r}")
    return OPTIMIZERS[name](lr=lr)
