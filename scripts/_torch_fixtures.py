"""What the PyTorch fixture scripts share: sizes, layouts, the loss, saving.

``make_torch_fixtures.py`` (simple RNN) and ``make_torch_lstm_fixtures.py``
(LSTM) build their own cases and run their own PyTorch module; the rest is
here. PyTorch is row-major with the batch in the middle: inputs ``(T, B, k)``
and states ``(1, B, d)`` there, ``(T, k, B)`` and ``(d, B)`` in rnn_book.
torch is imported only inside the functions that run it.
"""

from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "package" / "fixtures"
SIZES = [  # (T, k, d, k_out, B)
    (1, 1, 1, 1, 1),
    (3, 4, 3, 4, 1),  # the lecture's sizes
    (4, 3, 5, 2, 3),
    (6, 5, 4, 7, 2),
    (2, 2, 6, 3, 5),
]


def torch_inputs(case, *states):
    """``case["X"]`` as ``(T, B, k)`` and each named state as a ``(1, B, d)`` leaf with a gradient."""
    import torch

    X = torch.from_numpy(case["X"].transpose(0, 2, 1).copy())  # (T, B, k)
    return X, [torch.from_numpy(case[name].T[None].copy()).requires_grad_()  # (1, B, d)
               for name in states]


def torch_linear(case):
    """``nn.Linear(d, k_out)`` in float64 holding ``case["W_Y"] (k_out, d)`` and ``case["b_y"] (k_out, 1)``."""
    import torch

    k_out, d = case["W_Y"].shape
    linear = torch.nn.Linear(d, k_out).double()
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(case["W_Y"]))
        linear.bias.copy_(torch.from_numpy(case["b_y"][:, 0]))
    return linear


def torch_loss(Z, targets):
    """Cross-entropy of the logits ``Z (T, B, k_out)``, summed over time, averaged over the batch."""
    import torch

    T, B, k_out = Z.shape
    targets = torch.from_numpy(targets)  # (T, B)
    return torch.nn.functional.cross_entropy(
        Z.reshape(T * B, k_out), targets.reshape(T * B), reduction="sum") / B


def outputs(Z, loss, **states):
    """Softmax outputs ``Y (T, k_out, B)``, the loss, and ``d<state> (d, B)`` in rnn_book's layout."""
    import torch

    reference = {"Y": torch.softmax(Z, dim=2).detach().numpy().transpose(0, 2, 1),  # (T, k_out, B)
                 "loss": np.array(loss.item())}
    reference.update({f"d{name}": s.grad[0].numpy().T for name, s in states.items()})  # (d, B)
    return reference


def save_fixtures(path, seed, random_case, torch_reference):
    """Run every size in ``SIZES`` through ``torch_reference`` and save the cases to ``path``."""
    import torch

    rng = np.random.default_rng(seed)
    arrays = {"sizes": np.array(SIZES)}
    for i, (T, k, d, k_out, B) in enumerate(SIZES):
        case = random_case(rng, T, k, d, k_out, B)
        case.update(torch_reference(case))
        arrays.update({f"case{i}/{key}": np.asarray(value) for key, value in case.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    print(f"wrote {len(SIZES)} cases to {path} (torch {torch.__version__})")
