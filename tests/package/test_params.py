"""What RNNParams and LSTMParams share (rnn_book.params): seeding, size checks, helpers."""

import numpy as np
import pytest

from rnn_book import lstm, rnn
from rnn_book.params import Params


@pytest.fixture(params=[rnn, lstm], ids=["rnn", "lstm"])
def cell(request):
    """The model module: rnn_book.rnn or rnn_book.lstm."""
    return request.param


def test_seeds_and_generators(cell):
    a, b = cell.init_params(3, 2, rng=7), cell.init_params(3, 2, rng=np.random.default_rng(7))
    c, d = cell.init_params(3, 2, rng=8), cell.init_params(3, 2)
    for (name, A), (_, B), (_, C) in zip(a.items(), b.items(), c.items()):
        np.testing.assert_array_equal(A, B)
        if name.startswith("W"):
            assert not np.array_equal(A, C), name
    assert [v.shape for _, v in d.items()] == [v.shape for _, v in a.items()]
    state = np.random.get_state()[1].copy()
    cell.init_params(3, 2, rng=7)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # global RNG untouched


@pytest.mark.parametrize("k, d, k_out", [(0, 3, None), (4, -1, None), (4.0, 3, None),
                                          (True, 3, None)])
def test_init_rejects_bad_sizes(cell, k, d, k_out):
    with pytest.raises(ValueError, match="must be a positive integer"):
        cell.init_params(k, d, k_out, rng=0)


@pytest.mark.parametrize("k_out", [-1, 2.0, True])
def test_init_rejects_a_bad_output_size(cell, k_out):
    with pytest.raises(ValueError, match="k_out must be a non-negative integer"):
        cell.init_params(4, 3, k_out, rng=0)


def test_k_out_zero_is_a_layer_without_outputs(cell):
    """A layer inside a stack: Y has no rows, backward_from runs from dH alone."""
    from rnn_book import fast
    p = cell.init_params(4, 3, 0, rng=0)
    assert p.k_out == 0 and p.W_Y.shape == (0, 3)
    X = np.eye(4)[:3]
    results = []
    for module in (cell, getattr(fast, cell.__name__.rsplit(".", 1)[1])):
        Y, cache = module.forward(p, X)
        assert Y.shape == (3, 0)
        grads, dX, *d_states = module.backward_from(p, cache, dH=np.ones((3, 3)))
        assert dX.shape == (3, 4) and grads.W_Y.shape == (0, 3)
        results.append(np.concatenate([dX.ravel(), *(s.ravel() for s in d_states)]))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12, atol=1e-15)


def test_helpers(cell):
    p = cell.init_params(4, 3, rng=0)
    z, c, f = p.zeros_like(), p.copy(), p.astype(np.float32)
    assert isinstance(p, Params)
    assert type(z) is type(c) is type(f) is type(p)
    assert all(not v.any() and v.shape == getattr(p, n).shape and v.dtype == np.float64
               for n, v in z.items())
    assert not any(np.shares_memory(v, getattr(p, n)) for n, v in c.items())  # a deep copy
    name = p.items()[1][0]  # W_H, W_hh_f
    getattr(c, name)[0, 0] += 1
    assert getattr(c, name)[0, 0] != getattr(p, name)[0, 0]
    assert f.dtype == np.float32 and p.dtype == np.float64
    assert all(v.dtype == np.float32 for _, v in f.items())
    for n, v in f.items():
        np.testing.assert_allclose(v, getattr(p, n), rtol=1e-6)
    doubled = p.map(lambda value: 2 * value)
    assert type(doubled) is type(p)
    for n, v in doubled.items():
        np.testing.assert_array_equal(v, 2 * getattr(p, n))


def test_sizes_come_from_the_shapes(cell):
    p = cell.init_params(k=5, d=3, k_out=2, rng=0, dtype=np.float32)
    assert (p.k, p.d, p.k_out, p.dtype) == (5, 3, 2, np.float32)
    assert set(p.shapes) == {name for name, _ in p.items()}
