"""PyTorch reference values for the GRU, saved for the tests.

Builds random cases (several sizes, float64, distinct nonzero biases per gate
and per PyTorch bias vector, random targets), runs them through PyTorch's
``nn.GRU`` + ``nn.Linear`` + cross-entropy summed over time and averaged over
the batch, and saves inputs, PyTorch's parameters, its softmax outputs, loss and
every gradient (including dL/dh0) to ``tests/package/fixtures/torch_gru.npz``.
``tests/package/test_gru_torch_parity.py`` compares rnn_book against that file
on every run, without torch; with torch installed it also compares live.

Regenerate (torch is needed only here and for the live test)::

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install -e '.[torch]' pytest hypothesis  # a CPU torch is enough
    /tmp/torchenv/bin/python scripts/make_torch_gru_fixtures.py
    /tmp/torchenv/bin/python -m pytest tests/package  # now also runs the live comparison

and commit the new ``torch_gru.npz``.

The cases come from a fixed seed, so regenerating changes the file only if
PyTorch's arithmetic changes. Mapping to PyTorch: ``nn.GRU`` is the
reset-after variant (``rnn_book.gru``'s default) and stacks its gates' weights
in the order r, z, n (its documentation: ``weight_ih_l0`` is
``(W_ir|W_iz|W_in)``, ``(3d, k)``; ``weight_hh_l0`` likewise, ``(3d, d)``).
Its z is our update gate u, its n our candidate g. Its two bias vectors add up
to ours for r and u; for the candidate they stay apart, ``bias_ih`` giving
b_h_g and ``bias_hh`` giving b_hh_g, since the reset gate scales only the
latter. ``nn.Linear``'s weight and bias are W_Y and b_y. Inputs are
``(T, B, k)`` there, ``(T, k, B)`` here; h0 is ``(1, B, d)`` there, ``(d, B)`` here.

This module imports torch only inside the functions that run it, so the tests
can use :func:`random_case` without torch; ``rnn_book.torch_io`` maps
PyTorch's arrays to ours.
"""

import _torch_fixtures as shared
import numpy as np

FIXTURE = shared.FIXTURES / "torch_gru.npz"
TORCH_NAMES = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


def random_case(rng, T, k, d, k_out, B):
    """A float64 case: inputs in rnn_book's layout, the GRU's parameters in PyTorch's.

    Every gate's bias block gets its own offset (r +0.5, z -0.5, n +0.25) on top
    of random values, and PyTorch's two bias vectors are drawn apart, so a gate
    mix-up or a dropped bias vector shows.
    """
    scale = 0.5
    offsets = np.repeat([0.5, -0.5, 0.25], d)  # (3d,)  in the order r, z, n
    return {
        "X": rng.standard_normal((T, k, B)),  # (T, k, B)
        "h0": rng.uniform(-0.9, 0.9, (d, B)),  # (d, B)
        "targets": rng.integers(0, k_out, (T, B)),  # (T, B)
        "weight_ih_l0": scale * rng.standard_normal((3 * d, k)),  # (3d, k)
        "weight_hh_l0": scale * rng.standard_normal((3 * d, d)),  # (3d, d)
        "bias_ih_l0": offsets + scale * rng.standard_normal(3 * d),  # (3d,)
        "bias_hh_l0": -0.25 + scale * rng.standard_normal(3 * d),  # (3d,)
        "W_Y": scale * rng.standard_normal((k_out, d)),  # (k_out, d)
        "b_y": scale * rng.standard_normal((k_out, 1)),  # (k_out, 1)
    }


def torch_reference(case):
    """Y, loss and gradients from PyTorch; the GRU's weight gradients stay stacked."""
    import torch

    k, d = case["X"].shape[1], case["h0"].shape[0]
    gru = torch.nn.GRU(k, d).double()
    with torch.no_grad():
        for name in TORCH_NAMES:
            getattr(gru, name).copy_(torch.from_numpy(case[name]))
    linear = shared.torch_linear(case)
    X, (h0,) = shared.torch_inputs(case, "h0")  # (T, B, k), (1, B, d)
    H, _ = gru(X, h0)  # (T, B, d)
    Z = linear(H)  # (T, B, k_out)
    loss = shared.torch_loss(Z, case["targets"])
    loss.backward()
    rz = slice(0, 2 * d)  # the r and z blocks: both bias vectors have dL/d(their sum)
    assert torch.allclose(gru.bias_ih_l0.grad[rz], gru.bias_hh_l0.grad[rz])
    return dict(
        shared.outputs(Z, loss, h0=h0),  # Y, loss, dh0
        dweight_ih_l0=gru.weight_ih_l0.grad.numpy(),  # (3d, k)
        dweight_hh_l0=gru.weight_hh_l0.grad.numpy(),  # (3d, d)
        dbias_ih_l0=gru.bias_ih_l0.grad.numpy(),  # (3d,)
        dbias_hh_l0=gru.bias_hh_l0.grad.numpy(),  # (3d,)
        dW_Y=linear.weight.grad.numpy(),  # (k_out, d)
        db_y=linear.bias.grad.numpy()[:, None],  # (k_out, 1)
    )


def main():
    shared.save_fixtures(FIXTURE, 20261203, random_case, torch_reference)


if __name__ == "__main__":
    main()
