"""rnn_book.torch_io: PyTorch state dicts to our parameters and back, without loss.

Torch-free tests on the saved fixtures and on random parameters; where torch
is installed, a live test loads to_torch's dict into nn.RNN/nn.LSTM/nn.GRU
+ nn.Linear and compares what both compute.
"""

import numpy as np
import pytest
from helpers import load_cases

from rnn_book import lstm, rnn, torch_io
from rnn_book.fast import lstm as fast_lstm
from rnn_book.fast import rnn as fast_rnn
from rnn_book.gradcheck import relative_error
from rnn_book.stack_params import CELL_PARAMS, StackParams

CELLS = sorted(CELL_PARAMS)  # rnn, lstm, and gru where the package has it
MODULES = {"rnn": rnn, "lstm": lstm}
if "gru" in CELL_PARAMS:
    from rnn_book import gru

    MODULES["gru"] = gru


def random_params(cell, rng, k=4, d=3, k_out=5):
    """Cell parameters with every array random, biases included."""
    params = MODULES[cell].init_params(k, d, k_out, rng=rng)
    return params.map(lambda a: rng.standard_normal(a.shape))


def state_of(case):
    """The nn.RNN fixture case's parameters as a state dict of rnn + linear."""
    return {"rnn.weight_ih_l0": case["W_X"], "rnn.weight_hh_l0": case["W_H"],
            "rnn.bias_ih_l0": case["b_ih"][:, 0], "rnn.bias_hh_l0": case["b_hh"][:, 0],
            "linear.weight": case["W_Y"], "linear.bias": case["b_y"][:, 0]}


@pytest.mark.parametrize("cell", CELLS)
def test_from_torch_of_to_torch_gives_the_same_arrays(cell):
    params = random_params(cell, np.random.default_rng(0))
    back = torch_io.from_torch(torch_io.to_torch(params))
    assert type(back) is type(params)
    for (name, a), (name_back, b) in zip(params.items(), back.items()):
        assert name == name_back
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cell", CELLS)
def test_to_torch_writes_our_bias_to_bias_ih_and_zeros_to_bias_hh(cell):
    params = random_params(cell, np.random.default_rng(1))
    state = torch_io.to_torch(params)
    G = len(torch_io.TORCH_BLOCKS[cell])
    d = params.d
    assert state["rnn.weight_ih_l0"].shape == (G * d, params.k)
    assert state["rnn.weight_hh_l0"].shape == (G * d, d)
    for j, (_, _, b_h, b_hh) in enumerate(torch_io.TORCH_BLOCKS[cell]):
        rows = slice(j * d, (j + 1) * d)
        np.testing.assert_array_equal(state["rnn.bias_ih_l0"][rows], getattr(params, b_h)[:, 0])
        expected_hh = 0 if b_hh is None else getattr(params, b_hh)[:, 0]
        np.testing.assert_array_equal(state["rnn.bias_hh_l0"][rows], expected_hh)
    np.testing.assert_array_equal(state["linear.weight"], params.W_Y)
    np.testing.assert_array_equal(state["linear.bias"], params.b_y[:, 0])


@pytest.mark.parametrize("cell", CELLS)
def test_to_torch_of_from_torch_keeps_weights_and_each_gates_bias_sum(cell):
    rng = np.random.default_rng(2)
    G, d, k = len(torch_io.TORCH_BLOCKS[cell]), 3, 2
    state = {"rnn.weight_ih_l0": rng.standard_normal((G * d, k)),
             "rnn.weight_hh_l0": rng.standard_normal((G * d, d)),
             "rnn.bias_ih_l0": rng.standard_normal(G * d), "rnn.bias_hh_l0": rng.standard_normal(G * d),
             "linear.weight": rng.standard_normal((4, d)), "linear.bias": rng.standard_normal(4)}
    back = torch_io.to_torch(torch_io.from_torch(state, cell=cell))
    assert set(back) == set(state)
    for name in ("rnn.weight_ih_l0", "rnn.weight_hh_l0", "linear.weight", "linear.bias"):
        np.testing.assert_array_equal(back[name], state[name])
    sums = state["rnn.bias_ih_l0"] + state["rnn.bias_hh_l0"]
    np.testing.assert_allclose(back["rnn.bias_ih_l0"] + back["rnn.bias_hh_l0"], sums, rtol=1e-15)
    if cell == "gru":  # the candidate's two biases stay apart: the reset gate scales one
        np.testing.assert_array_equal(back["rnn.bias_hh_l0"][2 * d:], state["rnn.bias_hh_l0"][2 * d:])


@pytest.mark.parametrize("cell", CELLS)
def test_gradients_map_bias_ih_to_ours_and_ours_to_both(cell):
    rng = np.random.default_rng(3)
    grads = random_params(cell, rng)
    state = torch_io.to_torch(grads, gradients=True)
    d = grads.d
    for j, (_, _, b_h, b_hh) in enumerate(torch_io.TORCH_BLOCKS[cell]):
        rows = slice(j * d, (j + 1) * d)
        np.testing.assert_array_equal(state["rnn.bias_ih_l0"][rows], getattr(grads, b_h)[:, 0])
        # both of PyTorch's biases carry the gradient of their sum, unless kept apart
        expected_hh = getattr(grads, b_h if b_hh is None else b_hh)[:, 0]
        np.testing.assert_array_equal(state["rnn.bias_hh_l0"][rows], expected_hh)
    back = torch_io.from_torch(state, gradients=True)
    for (_, a), (_, b) in zip(grads.items(), back.items()):
        np.testing.assert_array_equal(a, b)


def test_from_torch_runs_the_saved_nn_rnn_cases():
    """The nn.RNN fixtures, read through from_torch, give PyTorch's outputs."""
    for case in load_cases("torch_rnn.npz"):
        params = torch_io.from_torch(state_of(case))
        assert isinstance(params, rnn.RNNParams)
        Y, _ = rnn.forward(params, case["X"], case["h0"])
        assert relative_error(Y, case["Y"]) <= 1e-10


def test_from_torch_reads_the_cell_from_the_shapes_and_checks_a_given_one():
    state = state_of(load_cases("torch_rnn.npz")[2])
    assert isinstance(torch_io.from_torch(state), rnn.RNNParams)
    with pytest.raises(ValueError, match="a lstm has 4 row block"):
        torch_io.from_torch(state, cell="lstm")
    with pytest.raises(ValueError, match="cell must be one of"):
        torch_io.from_torch(state, cell="transformer")


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("linear.bias"), r"missing \['linear.bias'\]"),
    (lambda s: s.update({"rnn.weight_hr_l0": np.zeros((2, 3))}), r"unexpected \['rnn.weight_hr_l0'\]"),
    (lambda s: s.pop("rnn.bias_hh_l0"), r"bias=False"),
    (lambda s: [s.pop(key) for key in list(s) if key.startswith("rnn.")], "no rnn.weight_ih_l0"),
    (lambda s: s.update({"rnn.weight_hh_l0": np.zeros((5, 3))}), r"\(G d, d\)"),
    (lambda s: s.update({"rnn.weight_hh_l0": np.zeros((6, 3))}), "2 times as many rows"),
])
def test_from_torch_refuses_a_state_dict_that_does_not_fit(change, message):
    state = state_of(load_cases("torch_rnn.npz")[2])
    change(state)
    with pytest.raises(ValueError, match=message):
        torch_io.from_torch(state)


def test_to_torch_refuses_what_is_not_our_parameters():
    with pytest.raises(TypeError, match="params must be RNNParams, LSTMParams"):
        torch_io.to_torch({"W_X": np.zeros((2, 2))})


def test_from_torch_as_stack_gives_one_layer_as_a_stack():
    state = state_of(load_cases("torch_rnn.npz")[1])
    params = torch_io.from_torch(state, as_stack=True)
    assert isinstance(params, StackParams) and (params.n_layers, params.directions) == (1, 1)
    np.testing.assert_array_equal(params.layers[0][0].W_H, state["rnn.weight_hh_l0"])


def test_from_torch_keeps_float32():
    state = {name: value.astype(np.float32)
             for name, value in state_of(load_cases("torch_rnn.npz")[1]).items()}
    assert torch_io.from_torch(state).dtype == np.float32


@pytest.mark.parametrize("module, batched", [(rnn, True), (rnn, False), (fast_rnn, True),
                                             (lstm, True), (lstm, False), (fast_lstm, False)])
def test_torch_outputs_of_one_cell_are_its_hidden_states_and_last_states(module, batched):
    rng = np.random.default_rng(4)
    params = module.init_params(3, 2, rng=rng)
    X = rng.standard_normal((5, 3, 4) if batched else (5, 3))
    _, cache = module.forward(params, X)
    output, finals = torch_io.torch_outputs(cache)  # finals: h_n, or (h_n, c_n)
    H = cache.H
    if batched:
        np.testing.assert_array_equal(output, H.transpose(0, 2, 1))  # (T, B, d)
    else:
        np.testing.assert_array_equal(output, H)  # (T, d)
    h_n = finals if module in (rnn, fast_rnn) else finals[0]
    np.testing.assert_array_equal(h_n[0], output[-1])
    assert h_n.shape == ((1, 4, 2) if batched else (1, 2))
    if module in (lstm, fast_lstm):
        c_n = finals[1]
        np.testing.assert_array_equal(c_n[0], cache.C[-1].T if batched else cache.C[-1])


def test_torch_config_names_the_modules():
    config = torch_io.torch_config(rnn.init_params(4, 3, 2, rng=0))
    assert config == {"module": "RNN",
                      "rnn": {"input_size": 4, "hidden_size": 3, "num_layers": 1,
                              "bidirectional": False, "nonlinearity": "tanh"},
                      "linear": {"in_features": 3, "out_features": 2}}


def torch_model(config, state):
    """``nn.Module`` with parts rnn and linear, built from torch_config and loaded from ``state``."""
    import torch

    model = torch.nn.Module()
    model.rnn = getattr(torch.nn, config["module"])(**config["rnn"]).double()
    model.linear = torch.nn.Linear(**config["linear"]).double()
    model.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(value))
                           for name, value in state.items()})  # strict: every key, no other
    return model


@pytest.mark.parametrize("cell", CELLS)
def test_live_round_trip_through_pytorch(cell):
    """Ours -> to_torch -> nn module: same outputs and states; its state dict -> from_torch: same arrays."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng()
    params = random_params(cell, rng).map(lambda a: 0.5 * a)
    model = torch_model(torch_io.torch_config(params), torch_io.to_torch(params))
    X = rng.standard_normal((6, params.k, 3))  # (T, k, B)
    _, cache = MODULES[cell].forward(params, X)
    with torch.no_grad():
        theirs = model.rnn(torch.from_numpy(X.transpose(0, 2, 1).copy()))  # (T, B, k)
        Z = model.linear(theirs[0])
    ours = torch_io.torch_outputs(cache)
    np.testing.assert_allclose(ours[0], theirs[0].numpy(), rtol=0, atol=1e-12)
    finals_ours = ours[1] if cell == "lstm" else (ours[1],)
    finals_theirs = theirs[1] if cell == "lstm" else (theirs[1],)
    for a, b in zip(finals_ours, finals_theirs):
        np.testing.assert_allclose(a, b.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(cache.Y, torch.softmax(Z, 2).numpy().transpose(0, 2, 1),
                               rtol=0, atol=1e-12)
    state = {name: t.detach().numpy() for name, t in model.state_dict().items()}
    for (_, a), (_, b) in zip(params.items(), torch_io.from_torch(state).items()):
        np.testing.assert_array_equal(a, b)
