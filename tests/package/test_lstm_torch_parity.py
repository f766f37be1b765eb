"""rnn_book's LSTM agrees with PyTorch's nn.LSTM + nn.Linear + cross-entropy.

The fixture tests always run (no torch needed): they read the values that
scripts/make_torch_lstm_fixtures.py saved from PyTorch, and cut PyTorch's
stacked gates (order i, f, g, o) into ours with rnn_book.torch_io.
The live test runs only where torch is installed, on fresh random sizes.
"""

import numpy as np
import pytest
from helpers import live_cases, load_cases, load_script, one_hot

from rnn_book import torch_io
from rnn_book.gradcheck import relative_error
from rnn_book.losses import cross_entropy
from rnn_book.lstm import LSTMParams, backward, forward

TOLERANCE = 1e-10
script = load_script("make_torch_lstm_fixtures")  # imports torch only when it runs PyTorch


def params_of(case):
    """The case's PyTorch-layout parameters as an LSTMParams."""
    gates = torch_io.layer_from_torch("lstm", case["weight_ih_l0"], case["weight_hh_l0"],
                                      case["bias_ih_l0"], case["bias_hh_l0"])  # biases summed
    return LSTMParams(**gates, W_Y=case["W_Y"], b_y=case["b_y"])


def expected_gradients(case):
    """PyTorch's gradients, cut into our names: dW_xh_f, ..., dW_Y, db_y."""
    gates = torch_io.layer_from_torch("lstm", case["dweight_ih_l0"], case["dweight_hh_l0"],
                                      case["dbias_ih_l0"], case["dbias_ih_l0"], gradients=True)
    gates.update(W_Y=case["dW_Y"], b_y=case["db_y"])
    return {"d" + name: value for name, value in gates.items()}


def parity_errors(case, targets):
    """Relative error of every output of ours against PyTorch's."""
    params = params_of(case)
    Y, cache = forward(params, case["X"], case["h0"], case["c0"])
    grads, dh0, dc0 = backward(params, cache, targets)
    ours = {"Y": Y, "loss": cross_entropy(Y, targets), "dh0": dh0, "dc0": dc0}
    ours.update({"d" + name: g for name, g in grads.items()})
    theirs = dict(expected_gradients(case), Y=case["Y"], loss=case["loss"], dh0=case["dh0"],
                  dc0=case["dc0"])
    assert set(ours) == set(theirs)
    return {key: relative_error(value, theirs[key]) for key, value in ours.items()}


CASES = load_cases("torch_lstm.npz")


@pytest.mark.parametrize("i", range(len(CASES)))
@pytest.mark.parametrize("target_format", ["indices", "one-hot"])
def test_matches_saved_pytorch_values(i, target_format):
    case = CASES[i]
    k_out = case["W_Y"].shape[0]
    targets = case["targets"] if target_format == "indices" else one_hot(case["targets"], k_out)
    errors = parity_errors(case, targets)
    assert len(errors) == 18  # Y, loss, dh0, dc0 and the 14 parameters
    assert max(errors.values()) <= TOLERANCE, errors


def test_single_sequence_layout_matches_saved_pytorch_values():
    """The B = 1 cases, fed as one (T, k) sequence with h0 and c0 of shape (d,)."""
    singles = [case for case in CASES if case["X"].shape[2] == 1]
    assert len(singles) >= 2
    for case in singles:
        params = params_of(case)
        Y, cache = forward(params, case["X"][..., 0], case["h0"][:, 0], case["c0"][:, 0])
        grads, dh0, dc0 = backward(params, cache, case["targets"][:, 0])
        assert Y.shape == case["Y"].shape[:2] and dh0.shape == dc0.shape == case["h0"].shape[:1]
        assert relative_error(Y, case["Y"][..., 0]) <= TOLERANCE
        assert relative_error(dh0, case["dh0"][:, 0]) <= TOLERANCE
        assert relative_error(dc0, case["dc0"][:, 0]) <= TOLERANCE
        assert relative_error(grads.W_hh_f, expected_gradients(case)["dW_hh_f"]) <= TOLERANCE


def test_layer_from_torch_cuts_the_blocks_in_the_order_i_f_g_o():
    """PyTorch documents weight_ih_l0 as (W_ii|W_if|W_ig|W_io): input, forget, cell (g), output."""
    d, k = 2, 3
    block = {gate: np.full((d, k), n) for n, gate in enumerate("ifgo")}  # rows of 0, 1, 2, 3
    weight_ih = np.vstack([block["i"], block["f"], block["g"], block["o"]])  # (4d, k)
    weight_hh = weight_ih[:, :d] + 10  # (4d, d)
    bias = np.arange(4 * d, dtype=float)  # (4d,)
    ours = torch_io.layer_from_torch("lstm", weight_ih, weight_hh, bias, np.zeros(4 * d))
    assert set(ours) == {name for name, _ in params_of(CASES[1]).items()} - {"W_Y", "b_y"}
    for n, gate in enumerate("ifgo"):
        np.testing.assert_array_equal(ours[f"W_xh_{gate}"], np.full((d, k), n))
        np.testing.assert_array_equal(ours[f"W_hh_{gate}"], np.full((d, d), n + 10))
        np.testing.assert_array_equal(ours[f"b_h_{gate}"], [[2 * n], [2 * n + 1]])


@pytest.mark.parametrize("wrong_order", [("f", "i", "g", "o"), ("i", "f", "o", "g"), ("f", "i", "o", "g")])
def test_a_wrong_gate_order_fails_the_fixtures(monkeypatch, wrong_order):
    """The fixtures have teeth: with the gates mixed up, ours and PyTorch's disagree."""
    blocks = [(f"W_xh_{g}", f"W_hh_{g}", f"b_h_{g}", None) for g in wrong_order]
    monkeypatch.setitem(torch_io.TORCH_BLOCKS, "lstm", blocks)
    errors = parity_errors(CASES[3], CASES[3]["targets"])
    assert errors["Y"] > 1e-3 and errors["loss"] > 1e-3


def test_fixture_biases_are_distinct_per_gate_and_really_split():
    """Zero or equal biases could hide a bias that lands in the wrong gate or is dropped."""
    for case in CASES:
        d = case["h0"].shape[0]
        assert not np.allclose(case["bias_ih_l0"], case["bias_hh_l0"])
        params = params_of(case)
        biases = [params.b_h_f, params.b_h_i, params.b_h_o, params.b_h_g]
        assert all(np.abs(b).min() > 0 for b in biases)
        means = [float(b.mean()) for b in biases]
        assert len({round(m, 6) for m in means}) == 4, means
        assert case["dbias_ih_l0"].shape == (4 * d,)


def test_live_against_pytorch():
    pytest.importorskip("torch")
    for sizes, case in live_cases(script):  # fresh random sizes every run
        errors = parity_errors(case, case["targets"])
        assert max(errors.values()) <= TOLERANCE, (sizes, errors)
