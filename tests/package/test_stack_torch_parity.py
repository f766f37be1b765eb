"""Stacked and bidirectional networks agree with PyTorch's nn.RNN/nn.LSTM/nn.GRU + nn.Linear.

The fixture tests always run (no torch needed): they read what
scripts/make_torch_stack_fixtures.py saved from PyTorch (mostly
num_layers=2, bidirectional=True; the loss is cross-entropy plus
sum(output * G) for a random G), load PyTorch's state dict with
rnn_book.torch_io.from_torch, and compare the outputs, h_n, c_n, the loss
and every gradient, readable and fast. PyTorch's gradients are compared both
ways: read into our names with from_torch(gradients=True), and ours written
out with to_torch(gradients=True). The live tests run where torch is installed.
"""

import numpy as np
import pytest
from helpers import load_cases, load_script

from rnn_book import stack, torch_io
from rnn_book.gradcheck import relative_error
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad
from rnn_book.stack_params import CELL_PARAMS

TOLERANCE = 1e-10
script = load_script("make_torch_stack_fixtures")  # imports torch only when it runs PyTorch
CASES = {cell: load_cases(f"torch_stack_{cell}.npz") for cell in script.CELLS}


def state_of(case, prefix="state/"):
    return {key[len(prefix):]: value for key, value in case.items() if key.startswith(prefix)}


def ours(cell, case, fast):
    """Our results for a case: outputs in PyTorch's layout, gradients in both namings."""
    params = torch_io.from_torch(state_of(case), cell=cell, as_stack=True)
    states = [case["h0"]] + ([case["c0"]] if cell == "lstm" else [])
    Y, cache = stack.forward(params, case["X"], *states, fast=fast)
    dZ = softmax_cross_entropy_grad(Y, case["targets"])
    grads, dX, *d_states = stack.backward_from(params, cache, dZ=dZ, dH=case["G"])
    output, finals = torch_io.torch_outputs(cache)
    result = {"output": output, "Y": Y, "dX": dX, "dh0": d_states[0],
              "loss": cross_entropy(Y, case["targets"]) + float(np.sum(cache.H * case["G"]))}
    if cell == "lstm":
        result.update(h_n=finals[0], c_n=finals[1], dc0=d_states[1])
    else:
        result["h_n"] = finals
    result.update({"grad/" + name: g for name, g in torch_io.to_torch(grads, gradients=True).items()})
    return params, grads, result


def parity_errors(cell, case, fast):
    params, grads, result = ours(cell, case, fast)
    assert set(result) == {key for key in case if not key.startswith("state/")} - {
        "X", "h0", "c0", "targets", "G"}
    errors = {key: relative_error(value, case[key]) for key, value in result.items()}
    # PyTorch's gradients read into our names: every array of ours has one
    expected = torch_io.from_torch(state_of(case, "grad/"), cell=cell, gradients=True,
                                   as_stack=True)
    assert [name for name, _ in expected.items()] == [name for name, _ in grads.items()]
    errors.update({"ours/" + name: relative_error(g, e)
                   for (name, g), (_, e) in zip(grads.items(), expected.items())})
    return params, errors


AVAILABLE = [cell for cell in script.CELLS if cell in CELL_PARAMS]


@pytest.mark.parametrize("fast", [False, True], ids=["readable", "fast"])
@pytest.mark.parametrize("cell", AVAILABLE)
def test_matches_saved_pytorch_values(cell, fast):
    for i, case in enumerate(CASES[cell]):
        params, errors = parity_errors(cell, case, fast)
        assert max(errors.values()) <= TOLERANCE, (cell, i, {k: v for k, v in errors.items()
                                                             if v > TOLERANCE})


def test_fixtures_cover_two_bidirectional_layers_and_the_edges():
    for cell in script.CELLS:
        sizes = [tuple(s) for s in np.load(script.FIXTURES / f"torch_stack_{cell}.npz")["sizes"]]
        assert sizes == [tuple(int(n) for n in s) for s in script.SIZES]
    T, k, d, k_out, B, L, bidirectional = np.array(script.SIZES).T
    assert min(T) == min(d) == min(B) == 1
    assert any((L == 2) & (bidirectional == 1)) and any(bidirectional == 0) and any(L == 1)


@pytest.mark.parametrize("cell", list(script.CELLS))
def test_fixture_biases_are_split_and_distinct_per_gate(cell):
    """Equal or zero biases could hide a bias that is dropped or lands in the wrong gate."""
    G = script.CELLS[cell]
    for case in CASES[cell]:
        state = state_of(case)
        for name in state:
            if name.startswith("rnn.bias_ih"):
                other = state[name.replace("bias_ih", "bias_hh")]
                assert not np.allclose(state[name], other)
                means = [block.mean() for block in np.split(state[name], G)]
                assert len({round(float(m), 6) for m in means}) == G
        assert np.abs(case["G"]).min() > 0


@pytest.mark.parametrize("cell", AVAILABLE)
def test_a_wrong_direction_order_fails_the_fixtures(monkeypatch, cell):
    """The fixtures have teeth: reading the reverse direction's states in the wrong half fails."""
    case = CASES[cell][2]
    state = state_of(case)
    swapped = dict(state)
    for name in state:
        if name.startswith("rnn.") and name.endswith("_l0"):
            swapped[name], swapped[name + "_reverse"] = state[name + "_reverse"], state[name]
    params = torch_io.from_torch(swapped, cell=cell, as_stack=True)
    states = [case["h0"]] + ([case["c0"]] if cell == "lstm" else [])
    Y, _ = stack.forward(params, case["X"], *states)
    assert relative_error(Y, case["Y"]) > 1e-3


def test_pytorch_state_dict_names_are_what_the_fixture_script_writes():
    """Our key names are PyTorch's: the script's names equal the module's, in its order."""
    torch = pytest.importorskip("torch")
    lstm = torch.nn.LSTM(3, 2, num_layers=2, bidirectional=True)
    assert ["rnn." + name for name in lstm.state_dict()] == script.state_names(2, 2)


@pytest.mark.parametrize("cell", AVAILABLE)
def test_live_against_pytorch(cell):
    pytest.importorskip("torch")
    rng = np.random.default_rng()
    for L, bidirectional in ((1, False), (1, True), (int(rng.integers(2, 4)), bool(rng.integers(2)))):
        T, k, d, k_out, B = (int(n) for n in rng.integers(1, 6, 5))  # fresh random sizes every run
        sizes = (T, k, d, k_out, B, L, bidirectional)
        case = script.random_case(rng, cell, *sizes)
        case.update(script.torch_reference(cell, case))
        for fast in (False, True):
            _, errors = parity_errors(cell, case, fast)
            assert max(errors.values()) <= TOLERANCE, (sizes, fast, errors)
