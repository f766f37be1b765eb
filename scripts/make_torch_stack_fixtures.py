"""PyTorch reference values for stacked and bidirectional networks, saved for the tests.

For each cell (``nn.RNN(nonlinearity="tanh")``, ``nn.LSTM``, ``nn.GRU``) and
several sizes, mostly ``num_layers=2, bidirectional=True``: a random float64
state dict (distinct nonzero biases per gate, PyTorch's two bias vectors drawn
apart), inputs, initial states, targets and a random upstream gradient G on
the top layer's outputs. The loss is cross-entropy of ``nn.Linear`` over the
outputs (summed over time, averaged over the batch) plus ``sum(output * G)``,
so both ways into a stack's backward pass are exercised: dL/dz_t from the
loss and dL/dh_t from elsewhere. Saved per case: the state dict, the inputs
(rnn_book's layout), PyTorch's ``output``, ``h_n``, ``c_n`` (its layout),
softmax outputs, loss, and the gradient of every state-dict entry, of X, h0
and c0, to ``tests/package/fixtures/torch_stack_<cell>.npz``.
``tests/package/test_stack_torch_parity.py`` compares rnn_book against those
files on every run, without torch, through :mod:`rnn_book.torch_io`; with
torch installed it also compares live on fresh random sizes.

Regenerate (torch is needed only here and for the live tests)::

    .venv/bin/pip install torch==2.13.0   # or any CPU torch
    .venv/bin/python scripts/make_torch_stack_fixtures.py

and commit the three ``torch_stack_*.npz``. The cases come from fixed seeds,
so regenerating changes the files only if PyTorch's arithmetic changes.
torch is imported only inside :func:`torch_reference`, so the tests can use
:func:`random_case` without it.
"""

from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "package" / "fixtures"
CELLS = {"rnn": 1, "lstm": 4, "gru": 3}  # row blocks per layer in PyTorch's weights
SIZES = [  # (T, k, d, k_out, B, num_layers, bidirectional)
    (1, 1, 1, 1, 1, 2, True),  # T = d = B = 1
    (3, 4, 3, 4, 1, 2, True),
    (4, 3, 5, 2, 3, 2, True),
    (2, 2, 2, 3, 5, 2, True),
    (5, 3, 2, 3, 2, 3, False),  # deeper, one direction
    (3, 2, 4, 2, 2, 1, True),  # one bidirectional layer
]
SEEDS = {"rnn": 20261203, "lstm": 20261204, "gru": 20261205}


def state_names(L, D):
    """The ``rnn.*`` keys of a PyTorch module with L layers and D directions, in its order."""
    return [f"rnn.{kind}_l{n}{'_reverse' * r}" for n in range(L) for r in range(D)
            for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]


def random_case(rng, cell, T, k, d, k_out, B, L, bidirectional):
    """A float64 case: a PyTorch-layout state dict, inputs and states in rnn_book's layout.

    Each gate's bias block gets its own offset on top of random values, and
    bias_ih and bias_hh are drawn apart, so a gate mix-up or a dropped bias shows.
    """
    G, D, scale = CELLS[cell], 2 if bidirectional else 1, 0.5
    offsets = np.repeat(np.linspace(-0.5, 1.0, G), d)  # (G d,)
    state = {}
    for name in state_names(L, D):
        n = int(name.split("_l")[1].split("_")[0])
        k_in = k if n == 0 else D * d
        if "weight_ih" in name:
            state[name] = scale * rng.standard_normal((G * d, k_in))  # (G d, k_in)
        elif "weight_hh" in name:
            state[name] = scale * rng.standard_normal((G * d, d))  # (G d, d)
        elif "bias_ih" in name:
            state[name] = offsets + scale * rng.standard_normal(G * d)  # (G d,)
        else:
            state[name] = scale * rng.standard_normal(G * d)  # (G d,)
    state["linear.weight"] = scale * rng.standard_normal((k_out, D * d))  # (k_out, D d)
    state["linear.bias"] = scale * rng.standard_normal(k_out)  # (k_out,)
    case = {"state/" + name: value for name, value in state.items()}
    case.update(
        X=rng.standard_normal((T, k, B)),  # (T, k, B)
        h0=rng.uniform(-0.9, 0.9, (L * D, d, B)),  # (L D, d, B)
        targets=rng.integers(0, k_out, (T, B)),  # (T, B)
        G=rng.standard_normal((T, D * d, B)),  # (T, D d, B)  dL/d(output), besides the loss
    )
    if cell == "lstm":
        case["c0"] = rng.uniform(-2, 2, (L * D, d, B))  # (L D, d, B)
    return case


def torch_reference(cell, case):
    """PyTorch's outputs and gradients: outputs in PyTorch's layout, inputs' gradients in ours."""
    import torch

    state = {key[6:]: torch.from_numpy(value) for key, value in case.items()
             if key.startswith("state/")}
    L = sum(1 for name in state if name.startswith("rnn.weight_ih") and "reverse" not in name)
    D = 2 if "rnn.weight_ih_l0_reverse" in state else 1
    k, d = case["X"].shape[1], case["h0"].shape[1]
    k_out = state["linear.weight"].shape[0]
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
    model = torch.nn.Module()
    model.rnn = kind(k, d, num_layers=L, bidirectional=D == 2, **extra).double()
    model.linear = torch.nn.Linear(D * d, k_out).double()
    model.load_state_dict(state)  # strict: our key names are PyTorch's
    X = torch.from_numpy(case["X"].transpose(0, 2, 1).copy()).requires_grad_()  # (T, B, k)
    h0 = torch.from_numpy(case["h0"].transpose(0, 2, 1).copy()).requires_grad_()  # (L D, B, d)
    if cell == "lstm":
        c0 = torch.from_numpy(case["c0"].transpose(0, 2, 1).copy()).requires_grad_()
        output, (h_n, c_n) = model.rnn(X, (h0, c0))
    else:
        output, h_n = model.rnn(X, h0)  # (T, B, D d), (L D, B, d)
    Z = model.linear(output)  # (T, B, k_out)
    T, B = case["targets"].shape
    loss = torch.nn.functional.cross_entropy(
        Z.reshape(T * B, k_out), torch.from_numpy(case["targets"]).reshape(T * B),
        reduction="sum") / B
    G = torch.from_numpy(case["G"].transpose(0, 2, 1).copy())  # (T, B, D d)
    loss = loss + (output * G).sum()
    loss.backward()
    reference = {
        "output": output.detach().numpy(),  # (T, B, D d)
        "h_n": h_n.detach().numpy(),  # (L D, B, d)
        "Y": torch.softmax(Z, dim=2).detach().numpy().transpose(0, 2, 1),  # (T, k_out, B)
        "loss": np.array(loss.item()),
        "dX": X.grad.numpy().transpose(0, 2, 1),  # (T, k, B)
        "dh0": h0.grad.numpy().transpose(0, 2, 1),  # (L D, d, B)
    }
    if cell == "lstm":
        reference.update(c_n=c_n.detach().numpy(), dc0=c0.grad.numpy().transpose(0, 2, 1))
    for name, p in model.named_parameters():
        reference["grad/" + name] = p.grad.numpy()
    return reference


def make_cases(cell, seed):
    """Every size in ``SIZES`` for ``cell``, each run through PyTorch."""
    rng = np.random.default_rng(seed)
    cases = []
    for sizes in SIZES:
        case = random_case(rng, cell, *sizes)
        case.update(torch_reference(cell, case))
        cases.append(case)
    return cases


def main():
    import torch

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for cell, seed in SEEDS.items():
        arrays = {"sizes": np.array(SIZES)}
        for i, case in enumerate(make_cases(cell, seed)):
            arrays.update({f"case{i}/{key}": np.asarray(value) for key, value in case.items()})
        path = FIXTURES / f"torch_stack_{cell}.npz"
        np.savez_compressed(path, **arrays)
        print(f"wrote {len(SIZES)} cases to {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
