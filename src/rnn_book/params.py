"""What every model's parameters share: checks and helpers driven by their fields.

A model declares its arrays as the fields of a dataclass that derives from
:class:`Params`, and their shapes, with the book's symbols, in ``shapes``:
``{"W_X": ("d", "k"), "b_h": ("d", 1), ...}``. ``Params`` then checks every
array against its shape and gives the sizes ``k``, ``d``, ``k_out``, the
``dtype``, and ``items``, ``map``, ``zeros_like``, ``copy`` and ``astype``.
"""

from dataclasses import fields
from typing import ClassVar

import numpy as np

from rnn_book.checks import as_numeric, check_shape


# --8<-- [start:Params]
class Params:
    """Base of ``RNNParams`` and ``LSTMParams``: named arrays, one float dtype.

    Subclasses are dataclasses whose fields are the arrays, and set ``shapes``
    to each field's shape in the book's symbols. The first field that has a
    symbol fixes its size; every later field must agree. The arrays are checked
    when the parameters are made and by :meth:`validate` at every forward and
    backward pass (a field may have been replaced since).
    """

    shapes: ClassVar[dict] = {}

    def __post_init__(self):
        self.validate()

    def validate(self):
        """Raise TypeError/ValueError unless shapes and dtypes fit together."""
        for name, value in self.items():
            value = as_numeric(name, value)
            if value.dtype.kind != "f":
                raise TypeError(
                    f"{name} must have a floating dtype (float32 or float64); "
                    f"got {value.dtype}"
                )
            setattr(self, name, value)
        sizes = {}  # symbol -> size, fixed by the first field that has it
        for name, value in self.items():  # k_out may be 0: a layer without outputs
            for symbol, n in zip(self.shapes[name], value.shape):
                if symbol == "k_out" and n == 0:
                    sizes["k_out"] = 0
        for name, value in self.items():
            form = self.shapes[name]
            check_shape(name, value, form, **sizes)
            sizes.update({s: n for s, n in zip(form, value.shape)
                          if isinstance(s, str)})
        dtypes = {value.dtype for _, value in self.items()}
        if len(dtypes) > 1:
            names = [name for name, _ in self.items()]
            raise TypeError(
                f"{', '.join(names[:-1])} and {names[-1]} "
                f"must share one dtype; got {dtypes}"
            )

    def _size(self, symbol):
        """The size of ``symbol`` in the first field whose shape has it."""
        for name, value in self.items():
            if symbol in self.shapes[name]:
                return value.shape[self.shapes[name].index(symbol)]
        raise AttributeError(f"{type(self).__name__} has no size {symbol}")

    @property
    def k(self):
        """Input size: the number of columns of the input weights."""
        return self._size("k")

    @property
    def d(self):
        """Number of hidden units (and, in an LSTM, of cell units)."""
        return self._size("d")

    @property
    def k_out(self):
        """Output size: the number of rows of W_Y."""
        return self._size("k_out")

    @property
    def dtype(self):
        """The parameters' dtype, which forward and backward passes follow."""
        return self.items()[0][1].dtype

    def items(self):
        """``(name, array)`` pairs in field order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def map(self, fn):
        """New parameters of the same class, ``fn(array)`` for every array."""
        return type(self)(**{name: fn(value) for name, value in self.items()})

    def zeros_like(self):
        """Parameters of zeros with the same shapes and dtype."""
        return self.map(np.zeros_like)

    def fingerprint(self):
        """One sum per array: equal for the same values, so a cache can tell
        whether backward gets the parameters its forward pass ran with."""
        with np.errstate(over="ignore", invalid="ignore"):
            return tuple(float(np.add.reduce(value, axis=None)) for _, value in self.items())

    def copy(self):
        """A deep copy."""
        return self.map(np.copy)

    def astype(self, dtype):
        """A copy converted to ``dtype`` (e.g. ``np.float32``)."""
        return self.map(lambda value: value.astype(dtype))
# --8<-- [end:Params]


# --8<-- [start:check_sizes]
def check_sizes(**sizes):
    """Raise ValueError unless each size is a positive integer (not ``True``).

    Examples
    --------
    >>> from rnn_book.params import check_sizes
    >>> check_sizes(k=4, d=3)
    >>> check_sizes(k=4, d=0)
    Traceback (most recent call last):
    ...
    ValueError: d must be a positive integer; got 0
    """
    for name, n in sizes.items():
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
            raise ValueError(f"{name} must be a positive integer; got {n!r}")
# --8<-- [end:check_sizes]


def check_output_size(k_out):
    """Raise ValueError unless ``k_out`` is a non-negative integer.

    ``k_out = 0`` makes a cell without an output layer: a layer inside a
    stack, whose hidden states feed the next layer instead of a softmax.

    Examples
    --------
    >>> from rnn_book.params import check_output_size
    >>> check_output_size(0)
    >>> check_output_size(-1)
    Traceback (most recent call last):
    ...
    ValueError: k_out must be a non-negative integer; got -1
    """
    if not isinstance(k_out, (int, np.integer)) or isinstance(k_out, bool) or k_out < 0:
        raise ValueError(f"k_out must be a non-negative integer; got {k_out!r}")
