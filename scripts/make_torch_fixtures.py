"""PyTorch reference values for the simple RNN, saved for the tests.

Builds random cases (several sizes, float64, nonzero distinct biases, random
targets), runs them through PyTorch's ``nn.RNN(nonlinearity='tanh')`` +
``nn.Linear`` + cross-entropy summed over time and averaged over the batch,
and saves inputs, parameters, PyTorch's softmax outputs, loss and every
gradient (including dL/dh0) to ``tests/package/fixtures/torch_rnn.npz``.
``tests/package/test_rnn_torch_parity.py`` compares rnn_book against that file
on every run, without torch; with torch installed it also compares live.

Regenerate (torch is needed only here and for the live test)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install -e '.[torch]' pytest hypothesis  # a CPU torch is enough
    /tmp/torchenv/bin/python scripts/make_torch_fixtures.py
    /tmp/torchenv/bin/python -m pytest tests/package  # now also runs the live comparison

and commit the new ``torch_rnn.npz``.

The cases come from a fixed seed, so regenerating changes the file only if
PyTorch's arithmetic changes. Mapping to PyTorch (row-major, batch in the
middle): ``nn.RNN``'s ``weight_ih_l0`` is our W_X ``(d, k)`` and
``weight_hh_l0`` our W_H ``(d, d)``, already in our shapes; its two biases
``bias_ih_l0 + bias_hh_l0`` add up to our b_h; ``nn.Linear``'s weight and bias
are W_Y and b_y. Inputs are ``(T, B, k)`` there, ``(T, k, B)`` here.
"""

import _torch_fixtures as shared
import torch

FIXTURE = shared.FIXTURES / "torch_rnn.npz"
NAMES = ["W_X", "W_H", "b_h", "W_Y", "b_y"]


def random_case(rng, T, k, d, k_out, B):
    """A float64 case in rnn_book's layout; PyTorch's two hidden biases differ."""
    scale = 0.5
    case = {
        "X": rng.standard_normal((T, k, B)),  # (T, k, B)
        "h0": rng.uniform(-0.9, 0.9, (d, B)),  # (d, B)
        "targets": rng.integers(0, k_out, (T, B)),  # (T, B)
        "W_X": scale * rng.standard_normal((d, k)),  # (d, k)
        "W_H": scale * rng.standard_normal((d, d)),  # (d, d)
        "b_ih": scale * rng.standard_normal((d, 1)),  # (d, 1)
        "b_hh": scale * rng.standard_normal((d, 1)),  # (d, 1)
        "W_Y": scale * rng.standard_normal((k_out, d)),  # (k_out, d)
        "b_y": scale * rng.standard_normal((k_out, 1)),  # (k_out, 1)
    }
    case["b_h"] = case["b_ih"] + case["b_hh"]  # (d, 1)
    return case


def torch_reference(case):
    """Y, loss and gradients from PyTorch, returned in rnn_book's layout."""
    k, d = case["W_X"].shape[1], case["W_H"].shape[0]
    rnn = torch.nn.RNN(k, d, nonlinearity="tanh").double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(case["W_X"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(case["W_H"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(case["b_ih"][:, 0]))
        rnn.bias_hh_l0.copy_(torch.from_numpy(case["b_hh"][:, 0]))
    linear = shared.torch_linear(case)
    X, (h0,) = shared.torch_inputs(case, "h0")  # (T, B, k), (1, B, d)
    H, _ = rnn(X, h0)  # (T, B, d)
    Z = linear(H)  # (T, B, k_out)
    loss = shared.torch_loss(Z, case["targets"])
    loss.backward()
    assert torch.allclose(rnn.bias_ih_l0.grad, rnn.bias_hh_l0.grad)  # both are dL/db_h
    grads = [rnn.weight_ih_l0.grad, rnn.weight_hh_l0.grad, rnn.bias_ih_l0.grad[:, None],
             linear.weight.grad, linear.bias.grad[:, None]]
    reference = shared.outputs(Z, loss, h0=h0)  # Y, loss, dh0
    reference.update({"d" + name: g.numpy() for name, g in zip(NAMES, grads)})
    return reference


def main():
    shared.save_fixtures(FIXTURE, 20240603, random_case, torch_reference)


if __name__ == "__main__":
    main()
