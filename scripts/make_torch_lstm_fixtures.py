"""PyTorch reference values for the LSTM, saved for the tests.

Builds random cases (several sizes, float64, distinct nonzero biases per gate
and per PyTorch bias vector, random targets), runs them through PyTorch's
``nn.LSTM`` + ``nn.Linear`` + cross-entropy summed over time and averaged over
the batch, and saves inputs, PyTorch's parameters, its softmax outputs, loss and
every gradient (including dL/dh0 and dL/dc0) to
``tests/package/fixtures/torch_lstm.npz``.
``tests/package/test_lstm_torch_parity.py`` compares rnn_book against that file
on every run, without torch; with torch installed it also compares live.

Regenerate (torch is needed only here and for the live test)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install -e '.[torch]' pytest hypothesis  # a CPU torch is enough
    /tmp/torchenv/bin/python scripts/make_torch_lstm_fixtures.py
    /tmp/torchenv/bin/python -m pytest tests/package  # now also runs the live comparison

and commit the new ``torch_lstm.npz``.

The cases come from a fixed seed, so regenerating changes the file only if
PyTorch's arithmetic changes. Mapping to PyTorch: ``nn.LSTM`` stacks the four
gates' weights into one matrix, in the order i, f, g, o (its documentation:
``weight_ih_l0`` is ``(W_ii|W_if|W_ig|W_io)``, ``(4d, k)``; ``weight_hh_l0``
likewise, ``(4d, d)``); :func:`rnn_book.torch_io.layer_from_torch` cuts them
back into the lecture's per-gate arrays. Its two bias vectors ``bias_ih_l0 + bias_hh_l0`` add up to
ours, and each has our bias's gradient. ``nn.Linear``'s weight and bias are
W_Y and b_y. Inputs are ``(T, B, k)`` there, ``(T, k, B)`` here; h0 and c0 are
``(1, B, d)`` there, ``(d, B)`` here.

This module imports torch only inside the functions that run it, so the tests
can use :func:`random_case` without torch.
"""

import _torch_fixtures as shared
import numpy as np

FIXTURE = shared.FIXTURES / "torch_lstm.npz"
TORCH_NAMES = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "W_Y", "b_y"]


def random_case(rng, T, k, d, k_out, B):
    """A float64 case: inputs in rnn_book's layout, the LSTM's parameters in PyTorch's.

    Every gate's bias block gets its own offset (i -0.5, f +1, g +0.25, o +0.5)
    on top of random values, and PyTorch's two bias vectors are drawn apart, so
    a gate mix-up or a dropped bias vector shows.
    """
    scale = 0.5
    offsets = np.repeat([-0.5, 1.0, 0.25, 0.5], d)  # (4d,)  in the order i, f, g, o
    return {
        "X": rng.standard_normal((T, k, B)),  # (T, k, B)
        "h0": rng.uniform(-0.9, 0.9, (d, B)),  # (d, B)
        "c0": rng.uniform(-2, 2, (d, B)),  # (d, B)
        "targets": rng.integers(0, k_out, (T, B)),  # (T, B)
        "weight_ih_l0": scale * rng.standard_normal((4 * d, k)),  # (4d, k)
        "weight_hh_l0": scale * rng.standard_normal((4 * d, d)),  # (4d, d)
        "bias_ih_l0": offsets + scale * rng.standard_normal(4 * d),  # (4d,)
        "bias_hh_l0": scale * rng.standard_normal(4 * d),  # (4d,)
        "W_Y": scale * rng.standard_normal((k_out, d)),  # (k_out, d)
        "b_y": scale * rng.standard_normal((k_out, 1)),  # (k_out, 1)
    }


def torch_reference(case):
    """Y, loss and gradients from PyTorch; the LSTM's weight gradients stay stacked."""
    import torch

    k, d = case["X"].shape[1], case["h0"].shape[0]
    lstm = torch.nn.LSTM(k, d).double()
    with torch.no_grad():
        for name in TORCH_NAMES[:4]:
            getattr(lstm, name).copy_(torch.from_numpy(case[name]))
    linear = shared.torch_linear(case)
    X, (h0, c0) = shared.torch_inputs(case, "h0", "c0")  # (T, B, k), (1, B, d), (1, B, d)
    H, _ = lstm(X, (h0, c0))  # (T, B, d)
    Z = linear(H)  # (T, B, k_out)
    loss = shared.torch_loss(Z, case["targets"])
    loss.backward()
    assert torch.allclose(lstm.bias_ih_l0.grad, lstm.bias_hh_l0.grad)  # both are dL/d(their sum)
    return dict(
        shared.outputs(Z, loss, h0=h0, c0=c0),  # Y, loss, dh0, dc0
        dweight_ih_l0=lstm.weight_ih_l0.grad.numpy(),  # (4d, k)
        dweight_hh_l0=lstm.weight_hh_l0.grad.numpy(),  # (4d, d)
        dbias_ih_l0=lstm.bias_ih_l0.grad.numpy(),  # (4d,)
        dW_Y=linear.weight.grad.numpy(),  # (k_out, d)
        db_y=linear.bias.grad.numpy()[:, None],  # (k_out, 1)
    )


def main():
    shared.save_fixtures(FIXTURE, 20240605, random_case, torch_reference)


if __name__ == "__main__":
    main()
