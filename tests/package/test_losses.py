"""Cross-entropy: the value, the target formats, the gradient, bad targets, extremes."""

import numpy as np
import pytest

from rnn_book.activations import softmax
from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad

rng = np.random.default_rng(0)
Z = rng.standard_normal((3, 4, 2))  # (T, k_out, B) logits
Y = softmax(Z, axis=1)  # (T, k_out, B)
IDX = np.array([[1, 0], [2, 3], [3, 3]])  # (T, B)
ONE_HOT = np.moveaxis(np.eye(4)[IDX], -1, 1)  # (T, k_out, B)


def test_value_is_summed_over_time_and_averaged_over_the_batch():
    by_hand = -sum(np.log(Y[t, IDX[t, b], b]) for t in range(3) for b in range(2)) / 2
    assert cross_entropy(Y, IDX) == pytest.approx(by_hand, rel=1e-14)
    assert isinstance(cross_entropy(Y, IDX), float)


def test_one_hot_and_indices_agree():
    assert cross_entropy(Y, ONE_HOT) == cross_entropy(Y, IDX)
    np.testing.assert_array_equal(softmax_cross_entropy_grad(Y, ONE_HOT),
                                  softmax_cross_entropy_grad(Y, IDX))


def test_single_sequence_layout():
    loss_0 = cross_entropy(Y[..., 0], IDX[:, 0])
    assert loss_0 == pytest.approx(cross_entropy(Y[..., :1], IDX[:, :1]))
    assert loss_0 == pytest.approx(cross_entropy(Y[..., 0], ONE_HOT[..., 0]))
    assert softmax_cross_entropy_grad(Y[..., 0], IDX[:, 0]).shape == (3, 4)


def test_gradient_wrt_logits_matches_finite_differences():
    Z_ = Z.copy()
    numeric = numerical_gradient(lambda: cross_entropy(softmax(Z_, axis=1), IDX), Z_)
    assert relative_error(softmax_cross_entropy_grad(Y, IDX), numeric) < 1e-8


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_and_silent_for_logits_of_1e4(dtype):
    Z_ = np.zeros((2, 3, 1), dtype)
    Z_[0, :, 0] = [1e4, -1e4, 0.0]
    Z_[1, :, 0] = [-1e4, 1e4, -1e4]
    with np.errstate(all="raise"):
        Y_ = softmax(Z_, axis=1)
        good = cross_entropy(Y_, [[0], [1]])
        bad = cross_entropy(Y_, [[1], [0]])  # the true class got probability 0
        dZ = softmax_cross_entropy_grad(Y_, [[1], [0]])
    assert good == 0.0
    assert np.isfinite(bad) and bad > 100
    assert np.isfinite(dZ).all() and dZ.dtype == dtype


@pytest.mark.parametrize("Y_true, error, message", [
    (ONE_HOT * 0.5, ValueError, "Y_true must be one-hot along its axis 1"),
    (ONE_HOT * 2, ValueError, "one-hot"),
    (np.ones_like(ONE_HOT), ValueError, "not at step t=0, sequence b=0"),
    (IDX + 1, ValueError, "Y_true holds class indices, which must lie in 0 .. 3; got 4"),
    (IDX - 2, ValueError, "got -1"),
    (IDX.astype(float), TypeError, r"Y_true of shape \(T, B\) holds class indices, so it must have an integer dtype; got float64"),
    (IDX[:2], ValueError, r"Y_true must have shape \(T, k_out, B\) = \(3, 4, 2\) or \(T, B\) = \(3, 2\); got \(2, 2\)"),
    (ONE_HOT[:, :3], ValueError, "Y_true must have shape"),
    (np.where(ONE_HOT == 1, np.nan, 0.0), ValueError, "Y_true must be finite"),
    (np.full((3, 2), "a"), TypeError, "Y_true must hold real numbers"),
])
def test_bad_targets_name_the_argument(Y_true, error, message):
    with pytest.raises(error, match=message):
        cross_entropy(Y, Y_true)
    with pytest.raises(error, match=message):
        softmax_cross_entropy_grad(Y, Y_true)


def test_bad_predictions_name_the_argument():
    with pytest.raises(ValueError, match=r"Y must have shape \(T, k_out\) or \(T, k_out, B\); got \(4,\)"):
        cross_entropy(Y[0, :, 0], [1])
    with pytest.raises(ValueError, match="Y must be finite"):
        cross_entropy(np.full((3, 4), np.inf), [0, 1, 2])
