"""How much memory a model needs, and how much the machine has: refuse before allocating.

A ``MemoryError`` in the middle of a run says nothing useful and can strike
after an hour of training. These estimates come first: the parameters'
count follows from the cell's declared shapes (``params_type.shapes``), so a
new cell needs no new code here.
"""

import math
import os

import numpy as np

__all__ = ["available_bytes", "describe_bytes", "param_count", "training_bytes", "check_fits"]

# Arrays as large as the parameters that a training run keeps: the gradients,
# a copy of the last good state, and the optimizer's state (per optimizer).
_OPTIMIZER_COPIES = {"sgd": 0, "adagrad": 1, "adam": 2}


def available_bytes():
    """Memory the system can give a process now (Linux ``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def describe_bytes(n):
    """``n`` bytes in the largest unit that keeps a number of at least 1.

    Examples
    --------
    >>> from rnn_book.train.memory import describe_bytes
    >>> describe_bytes(512), describe_bytes(3 * 2**30), describe_bytes(5e15)
    ('512 bytes', '3.0 GiB', '4547.5 TiB')
    """
    n = float(n)
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} bytes"


def param_count(cell, k, d, k_out=None):
    """How many numbers the parameters of ``cell`` hold for ``k`` inputs and ``d`` units.

    Examples
    --------
    >>> from rnn_book.train.cells import get_cell
    >>> from rnn_book.train.memory import param_count
    >>> param_count(get_cell("rnn"), k=4, d=3)  # W_X 12, W_H 9, b_h 3, W_Y 12, b_y 4
    40
    """
    if hasattr(cell, "param_count"):  # a stack counts its layers
        return cell.param_count(k, d, k_out)
    sizes = {"k": k, "d": d, "k_out": k if k_out is None else k_out}
    return sum(math.prod(sizes.get(s, s) for s in form)
               for form in cell.params_type.shapes.values())


def training_bytes(cell, k, d, T, B, optimizer="adam", dtype=np.float64):
    """A generous estimate of the memory a training run needs, in bytes.

    The parameters, their gradients, a copy of the last good state and the
    optimizer's state, plus one chunk's activations: inputs and outputs
    ``(T, k, B)`` and, per step, a few ``(d, B)`` arrays per state and gate, in
    every layer and direction of a stack (and the ``(D d, B)`` inputs each layer
    above the first reads and hands its gradient down).
    """
    itemsize = np.dtype(dtype).itemsize
    copies = 3 + _OPTIMIZER_COPIES.get(optimizer, 2)
    layers, D = getattr(cell, "layers", 1), getattr(cell, "directions", 1)
    per_layer = 8 * cell.n_states * d * B  # states and gates of one layer and direction
    between = 2 * D * d * B  # a layer's output, the next one's input, and its gradient
    per_step = (3 * k * B  # one-hot x_t, y_t, dz_t
                + layers * D * per_layer + (layers - 1) * between)
    return itemsize * (copies * param_count(cell, k, d) + T * per_step)


def check_fits(needed, what):
    """Raise MemoryError naming ``what`` unless ``needed`` bytes are available.

    The caller turns it into a message; nothing has been allocated yet.
    """
    available = available_bytes()
    if available is not None and needed > available:
        raise MemoryError(f"{what} need about {describe_bytes(needed)} of memory; "
                          f"this machine has {describe_bytes(available)} available")
