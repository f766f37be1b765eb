"""rnn_book agrees with PyTorch's nn.RNN(tanh) + nn.Linear + cross-entropy.

The fixture test always runs (no torch needed): it reads the values that
scripts/make_torch_fixtures.py saved from PyTorch. The live test runs only
where torch is installed, on fresh random sizes.
"""

import numpy as np
import pytest
from helpers import live_cases, load_cases, load_script, one_hot

from rnn_book.gradcheck import relative_error
from rnn_book.losses import cross_entropy
from rnn_book.rnn import RNNParams, backward, forward

TOLERANCE = 1e-10
NAMES = ["W_X", "W_H", "b_h", "W_Y", "b_y"]


def ours(case, targets):
    """Y, loss and gradients from rnn_book, in the fixture's (batched) layout."""
    params = RNNParams(**{name: case[name] for name in NAMES})
    Y, cache = forward(params, case["X"], case["h0"])
    grads, dh0 = backward(params, cache, targets)
    result = {"Y": Y, "loss": cross_entropy(Y, targets), "dh0": dh0}
    result.update({"d" + name: g for name, g in grads.items()})
    return result


def parity_errors(case, targets):
    result = ours(case, targets)
    return {key: relative_error(value, case[key]) for key, value in result.items()}


CASES = load_cases("torch_rnn.npz")


@pytest.mark.parametrize("i", range(len(CASES)))
@pytest.mark.parametrize("target_format", ["indices", "one-hot"])
def test_matches_saved_pytorch_values(i, target_format):
    case = CASES[i]
    k_out = case["W_Y"].shape[0]
    targets = case["targets"] if target_format == "indices" else one_hot(case["targets"], k_out)
    errors = parity_errors(case, targets)
    assert set(errors) == {"Y", "loss", "dh0", "dW_X", "dW_H", "db_h", "dW_Y", "db_y"}
    assert max(errors.values()) <= TOLERANCE, errors


def test_single_sequence_layout_matches_saved_pytorch_values():
    """The B = 1 cases, fed as one (T, k) sequence with h0 of shape (d,)."""
    for case in CASES:
        if case["X"].shape[2] != 1:
            continue
        single = dict(case, X=case["X"][..., 0], h0=case["h0"][:, 0])
        result = ours(single, case["targets"][:, 0])
        assert result["Y"].shape == case["Y"].shape[:2]
        assert result["dh0"].shape == single["h0"].shape
        assert relative_error(result["Y"], case["Y"][..., 0]) <= TOLERANCE
        assert relative_error(result["dh0"], case["dh0"][:, 0]) <= TOLERANCE
        assert relative_error(result["dW_H"], case["dW_H"]) <= TOLERANCE


def test_fixture_biases_really_are_split():
    """PyTorch's two biases differ, so the fixtures test that they add up to b_h."""
    for case in CASES:
        assert not np.allclose(case["b_ih"], case["b_hh"])
        np.testing.assert_allclose(case["b_ih"] + case["b_hh"], case["b_h"])


def test_live_against_pytorch():
    pytest.importorskip("torch")
    for sizes, case in live_cases(load_script("make_torch_fixtures")):  # fresh random sizes every run
        errors = parity_errors(case, case["targets"])
        assert max(errors.values()) <= TOLERANCE, (sizes, errors)
