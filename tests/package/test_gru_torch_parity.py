"""rnn_book's GRU agrees with PyTorch's nn.GRU + nn.Linear + cross-entropy (float64, <= 1e-10).

The fixture tests always run (no torch needed): they read the values that
scripts/make_torch_gru_fixtures.py saved from PyTorch, and cut PyTorch's
stacked gates (order r, z, n) into ours with rnn_book.torch_io.
The live test runs only where torch is installed, on fresh random sizes.
PyTorch's GRU is the reset-after variant, ``rnn_book.gru``'s default.
"""

import numpy as np
import pytest
from helpers import live_cases, load_cases, load_script, one_hot

from rnn_book import fast, gru, torch_io
from rnn_book.gradcheck import relative_error
from rnn_book.gru import GRUParams
from rnn_book.losses import cross_entropy

TOLERANCE = 1e-10
script = load_script("make_torch_gru_fixtures")  # imports torch only when it runs PyTorch
MODULES = [gru, fast.gru]


def params_of(case):
    """The case's PyTorch-layout parameters as a GRUParams."""
    gates = torch_io.layer_from_torch("gru", case["weight_ih_l0"], case["weight_hh_l0"],
                                      case["bias_ih_l0"], case["bias_hh_l0"])
    return GRUParams(**gates, W_Y=case["W_Y"], b_y=case["b_y"])


def expected_gradients(case):
    """PyTorch's gradients, cut into our names: dW_xh_r, ..., db_hh_g, dW_Y, db_y."""
    gates = torch_io.layer_from_torch("gru", case["dweight_ih_l0"], case["dweight_hh_l0"],
                                      case["dbias_ih_l0"], case["dbias_hh_l0"], gradients=True)
    gates.update(W_Y=case["dW_Y"], b_y=case["db_y"])
    return {"d" + name: value for name, value in gates.items()}


def parity_errors(module, case, targets):
    """Relative error of every output of ours against PyTorch's."""
    params = params_of(case)
    Y, cache = module.forward(params, case["X"], case["h0"])
    Y = np.array(Y)  # the fast path's Y is a view that backward may reuse
    grads, dh0 = module.backward(params, cache, targets)
    ours = {"Y": Y, "loss": cross_entropy(Y, targets), "dh0": dh0}
    ours.update({"d" + name: g for name, g in grads.items()})
    theirs = dict(expected_gradients(case), Y=case["Y"], loss=case["loss"], dh0=case["dh0"])
    assert set(ours) == set(theirs)
    return {key: relative_error(value, theirs[key]) for key, value in ours.items()}


CASES = load_cases("torch_gru.npz")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("i", range(len(CASES)))
@pytest.mark.parametrize("target_format", ["indices", "one-hot"])
def test_matches_saved_pytorch_values(module, i, target_format):
    case = CASES[i]
    k_out = case["W_Y"].shape[0]
    targets = case["targets"] if target_format == "indices" else one_hot(case["targets"], k_out)
    errors = parity_errors(module, case, targets)
    assert len(errors) == 15  # Y, loss, dh0 and the 12 parameters
    assert max(errors.values()) <= TOLERANCE, errors


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_single_sequence_layout_matches_saved_pytorch_values(module):
    """The B = 1 cases, fed as one (T, k) sequence with h0 of shape (d,)."""
    singles = [case for case in CASES if case["X"].shape[2] == 1]
    assert len(singles) >= 2
    for case in singles:
        params = params_of(case)
        Y, cache = module.forward(params, case["X"][..., 0], case["h0"][:, 0])
        assert relative_error(Y, case["Y"][..., 0]) <= TOLERANCE
        grads, dh0 = module.backward(params, cache, case["targets"][:, 0])
        assert dh0.shape == case["h0"].shape[:1]
        assert relative_error(dh0, case["dh0"][:, 0]) <= TOLERANCE
        assert relative_error(grads.b_hh_g, expected_gradients(case)["db_hh_g"]) <= TOLERANCE


def test_layer_from_torch_cuts_the_blocks_in_the_order_r_z_n():
    """PyTorch documents weight_ih_l0 as (W_ir|W_iz|W_in): reset, update (z), new (n)."""
    d, k = 2, 3
    weight_ih = np.vstack([np.full((d, k), n) for n in range(3)])  # (3d, k)
    weight_hh = weight_ih[:, :d] + 10  # (3d, d)
    bias_ih, bias_hh = np.arange(3 * d, dtype=float), 100 + np.arange(3 * d, dtype=float)
    ours = torch_io.layer_from_torch("gru", weight_ih, weight_hh, bias_ih, bias_hh)
    assert set(ours) == {name for name, _ in params_of(CASES[1]).items()} - {"W_Y", "b_y"}
    for n, gate in enumerate("rug"):
        np.testing.assert_array_equal(ours[f"W_xh_{gate}"], np.full((d, k), n))
        np.testing.assert_array_equal(ours[f"W_hh_{gate}"], np.full((d, d), n + 10))
    np.testing.assert_array_equal(ours["b_h_r"], [[100], [102]])  # b_ir + b_hr
    np.testing.assert_array_equal(ours["b_h_u"], [[104], [106]])  # b_iz + b_hz
    np.testing.assert_array_equal(ours["b_h_g"], [[4], [5]])  # b_in alone
    np.testing.assert_array_equal(ours["b_hh_g"], [[104], [105]])  # b_hn, scaled by r_t


@pytest.mark.parametrize("wrong_order", [("u", "r", "g"), ("r", "g", "u")])
def test_a_wrong_gate_order_fails_the_fixtures(monkeypatch, wrong_order):
    blocks = dict(zip("rug", torch_io.TORCH_BLOCKS["gru"]))
    monkeypatch.setitem(torch_io.TORCH_BLOCKS, "gru", [blocks[g] for g in wrong_order])
    errors = parity_errors(gru, CASES[3], CASES[3]["targets"])
    assert errors["Y"] > 1e-3 and errors["loss"] > 1e-3


def test_cho_variant_is_not_pytorchs():
    """The fixtures tell the variants apart: Cho et al.'s GRU misses PyTorch's outputs."""
    case = CASES[3]
    Y, _ = gru.forward(params_of(case), case["X"], case["h0"], reset_after=False)
    assert relative_error(Y, case["Y"]) > 1e-3


def test_fixture_biases_are_distinct_and_really_split():
    for case in CASES:
        assert not np.allclose(case["bias_ih_l0"], case["bias_hh_l0"])
        params = params_of(case)
        biases = [params.b_h_r, params.b_h_u, params.b_h_g, params.b_hh_g]
        assert all(np.abs(b).min() > 0 for b in biases)
        assert len({round(float(b.mean()), 6) for b in biases}) == 4


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_live_against_pytorch(module):
    pytest.importorskip("torch")
    for sizes, case in live_cases(script):  # fresh random sizes every run
        errors = parity_errors(module, case, case["targets"])
        assert max(errors.values()) <= TOLERANCE, (sizes, errors)
