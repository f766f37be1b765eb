"""Buffers allocated once and reused: the :class:`Workspace`.

A training loop calls forward and backward thousands of times with the same
shapes. Given the same :class:`Workspace` each time, the fast path finds its
arrays already there and writes into them (numpy's ``out=``), so after the
first call it allocates nothing in proportion to T, B, d or k.
"""

import numpy as np

__all__ = ["Workspace"]


# --8<-- [start:Workspace]
class Workspace:
    """Named arrays, and objects made from them, reused from one call to the next.

    An array is allocated the first time its name is asked for, and again only
    when the shape or dtype asked for changes. Results returned by a call that
    used a workspace are views into it: they stay valid until the next call
    with the same workspace overwrites them (copy what must outlive it).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace
    >>> ws = Workspace()
    >>> a = ws.array("H", (3, 4), np.float64)
    >>> ws.array("H", (3, 4), np.float64) is a  # same shape and dtype: reused
    True
    >>> ws.array("H", (3, 5), np.float64) is a  # a new shape: a new array
    False
    >>> ws.nbytes
    120
    """

    def __init__(self):
        self._arrays = {}
        self._objects = {}

    # --8<-- [start:Workspace_array]
    def array(self, name, shape, dtype):
        """The array called ``name``, uninitialised the first time."""
        shape, dtype = tuple(shape), np.dtype(dtype)
        a = self._arrays.get(name)
        if a is None or a.shape != shape or a.dtype != dtype:
            a = self._arrays[name] = np.empty(shape, dtype)
        return a
    # --8<-- [end:Workspace_array]

    def cached(self, name, key, make, refresh=False):
        """``make()``, computed once and kept while ``key`` stays the same.

        For Python objects built from the arrays, such as the lists of per-step
        views: ``key`` is a sequence of the arrays they view, compared by
        identity. ``refresh=True`` makes it again whatever the key.
        """
        hit = self._objects.get(name)
        if (refresh or hit is None or len(hit[0]) != len(key)
                or not all(a is b for a, b in zip(hit[0], key))):
            hit = self._objects[name] = (tuple(key), make())
        return hit[1]

    @property
    def nbytes(self):
        """Bytes held by the workspace's arrays."""
        return sum(a.nbytes for a in self._arrays.values())
# --8<-- [end:Workspace]

