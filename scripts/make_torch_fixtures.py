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

from pathlib import Path

import numpy as np
import torch

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "package" / "fixtures" / "torch_rnn.npz"
SIZES = [  # (T, k, d, k_out, B)
    (1, 1, 1, 1, 1),
    (3, 4, 3, 4, 1),  # the lecture's sizes
    (4, 3, 5, 2, 3),
    (6, 5, 4, 7, 2),
    (2, 2, 6, 3, 5),
]
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
    T, k, B = case["X"].shape
    d, k_out = case["W_H"].shape[0], case["W_Y"].shape[0]
    rnn = torch.nn.RNN(k, d, nonlinearity="tanh").double()
    linear = torch.nn.Linear(d, k_out).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(case["W_X"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(case["W_H"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(case["b_ih"][:, 0]))
        rnn.bias_hh_l0.copy_(torch.from_numpy(case["b_hh"][:, 0]))
        linear.weight.copy_(torch.from_numpy(case["W_Y"]))
        linear.bias.copy_(torch.from_numpy(case["b_y"][:, 0]))
    X = torch.from_numpy(case["X"].transpose(0, 2, 1).copy())  # (T, B, k)
    h0 = torch.from_numpy(case["h0"].T[None].copy()).requires_grad_()  # (1, B, d)
    H, _ = rnn(X, h0)  # (T, B, d)
    Z = linear(H)  # (T, B, k_out)
    targets = torch.from_numpy(case["targets"])  # (T, B)
    loss = torch.nn.functional.cross_entropy(
        Z.reshape(T * B, k_out), targets.reshape(T * B), reduction="sum") / B
    loss.backward()
    assert torch.allclose(rnn.bias_ih_l0.grad, rnn.bias_hh_l0.grad)  # both are dL/db_h
    grads = [rnn.weight_ih_l0.grad, rnn.weight_hh_l0.grad, rnn.bias_ih_l0.grad[:, None],
             linear.weight.grad, linear.bias.grad[:, None]]
    reference = {"Y": torch.softmax(Z, dim=2).detach().numpy().transpose(0, 2, 1),  # (T, k_out, B)
                 "loss": np.array(loss.item()),
                 "dh0": h0.grad[0].numpy().T}  # (d, B)
    reference.update({"d" + name: g.numpy() for name, g in zip(NAMES, grads)})
    return reference


def main():
    rng = np.random.default_rng(20240603)
    arrays = {"sizes": np.array(SIZES)}
    for i, (T, k, d, k_out, B) in enumerate(SIZES):
        case = random_case(rng, T, k, d, k_out, B)
        case.update(torch_reference(case))
        arrays.update({f"case{i}/{key}": np.asarray(value) for key, value in case.items()})
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(FIXTURE, **arrays)
    print(f"wrote {len(SIZES)} cases to {FIXTURE} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
