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
can use :func:`from_pytorch` and :func:`random_case` without torch.
"""

import _torch_fixtures as shared
import numpy as np

from rnn_book.gru import GATES

FIXTURE = shared.FIXTURES / "torch_gru.npz"
GATE_ORDER = ("r", "u", "g")  # PyTorch's order of the three row blocks: r, z, n
TORCH_NAMES = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]


# --8<-- [start:from_pytorch]
def from_pytorch(weight_ih, weight_hh, bias_ih, bias_hh):
    """nn.GRU's stacked gates, cut into the book's per-gate arrays.

    Parameters
    ----------
    weight_ih : (3d, k) ndarray
        Row blocks r, z, n: PyTorch's ``weight_ih_l0`` (or its gradient).
    weight_hh : (3d, d) ndarray
        Row blocks r, z, n: ``weight_hh_l0`` (or its gradient).
    bias_ih, bias_hh : (3d,) ndarray
        ``bias_ih_l0`` and ``bias_hh_l0``. (Their gradients: see
        :func:`gradients_from_pytorch`.)

    Returns
    -------
    dict
        ``W_xh_r, W_hh_r, b_h_r, ..., b_h_g, b_hh_g`` in the field order of
        ``GRUParams``.
    """
    W_xh = dict(zip(GATE_ORDER, np.split(weight_ih, 3)))  # each (d, k)
    W_hh = dict(zip(GATE_ORDER, np.split(weight_hh, 3)))  # each (d, d)
    b_ih = dict(zip(GATE_ORDER, np.split(bias_ih[:, None], 3)))  # each (d, 1)
    b_hh = dict(zip(GATE_ORDER, np.split(bias_hh[:, None], 3)))  # each (d, 1)
    ours = {}
    for gate in GATES:  # r, u, g
        bias = b_ih[gate] if gate == "g" else b_ih[gate] + b_hh[gate]
        ours.update({f"W_xh_{gate}": W_xh[gate], f"W_hh_{gate}": W_hh[gate], f"b_h_{gate}": bias})
    ours["b_hh_g"] = b_hh["g"]
    return ours
# --8<-- [end:from_pytorch]


def gradients_from_pytorch(dweight_ih, dweight_hh, dbias_ih, dbias_hh):
    """PyTorch's gradients in our names: the r and u biases' gradient is either vector's."""
    d = dbias_hh.shape[0] // 3
    only_candidate = np.concatenate([np.zeros(2 * d), dbias_hh[2 * d:]])  # (3d,)
    return from_pytorch(dweight_ih, dweight_hh, dbias_ih, only_candidate)


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
