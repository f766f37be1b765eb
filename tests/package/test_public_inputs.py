"""Any input to a public function: a right answer, or one line naming the argument that is wrong.

Never a traceback from deep inside numpy, never a silent NaN, never a wrong number.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import rnn
from rnn_book.activations import sigmoid, softmax, tanh
from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy, probability_tolerance
from rnn_book.symbols import one_hot, symbols, vocabulary
from rnn_book.train.bptt import truncated_gradient
from rnn_book.train.cells import get_cell
from rnn_book.train.corpora import stdlib_source
from rnn_book.train.data import chunks, decode, encode, one_hot_batch, split_text, streams
from rnn_book.train.loop import Diverged, train
from rnn_book.train.optim import SGD, Adam, make_optimizer
from rnn_book.train.sampling import apply_temperature, sample

FAST = settings(max_examples=40, deadline=None)
ODD_VALUES = [0, 1, -1, 2.5, 1e-320, float("inf"), float("nan"), "3", None, True, [1], 10**30]


def outcome(call, *names):
    """``call()``'s value, or None if it raised a one-line TypeError/ValueError naming one of ``names``."""
    try:
        return call()
    except (TypeError, ValueError) as error:
        message = str(error)
        assert "\n" not in message and message, repr(message)
        assert any(name in message for name in names), (names, message)
        return None


# --- losses.cross_entropy: probabilities only ---

@FAST
@given(Y=st.lists(st.lists(st.floats(-3, 3), min_size=3, max_size=3), min_size=1, max_size=4),
       normalise=st.booleans())
def test_cross_entropy_is_finite_for_distributions_and_refuses_the_rest(Y, normalise):
    Y = np.array(Y)
    if normalise:
        Y = np.abs(Y) + 1e-3
        Y /= Y.sum(axis=1, keepdims=True)
    targets = list(range(len(Y)))
    targets = [t % 3 for t in targets]
    is_distribution = (Y >= 0).all() and (Y <= 1).all() and (abs(Y.sum(axis=1) - 1) <= 1e-6).all()
    loss = outcome(lambda: cross_entropy(Y, targets), "Y must hold")
    assert (loss is not None) == bool(is_distribution)
    if loss is not None:
        assert math.isfinite(loss) and loss >= 0


@pytest.mark.parametrize("Y, message", [
    (np.array([[-0.5, 1.2, 0.3]]), "in [0, 1]"),  # negative "probabilities"
    (np.full((1, 3), 0.9), "sums to 2.7"),  # rows summing to more than 1
    (np.array([[2.0, -1.0, 0.5]]), "in [0, 1]"),  # logits
])
def test_cross_entropy_refuses_what_is_not_a_distribution(Y, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        cross_entropy(Y, [0])


def test_the_tolerance_is_documented_per_dtype():
    assert probability_tolerance(np.float64) == 1e-6
    assert 3e-4 < probability_tolerance(np.float32) < 4e-4
    y = np.array([[0.5, 0.5 + 5e-7]])  # within 1e-6 of a distribution
    assert math.isfinite(cross_entropy(y, [0]))


# --- gradcheck.numerical_gradient: float64 in place, or refused ---

X_KINDS = ["float64", "float32", "int", "list", "read-only", "nan", "scalar-array"]
F_KINDS = ["scalar", "array", "string", "nan", "numpy-scalar", "bool"]


def make_x(kind):
    base = np.array([2.0, 4.0])
    return {"float64": base.copy(), "float32": base.astype(np.float32),
            "int": base.astype(int), "list": [2.0, 4.0], "nan": np.array([2.0, np.nan]),
            "read-only": np.array(base).view(), "scalar-array": np.array(3.0)}[kind]


@FAST
@given(x_kind=st.sampled_from(X_KINDS), f_kind=st.sampled_from(F_KINDS),
       eps=st.sampled_from([1e-5, 1e-3, 0, -1e-5, 1e-30, float("inf"), "a", None]))
def test_numerical_gradient_is_right_or_refuses(x_kind, f_kind, eps):
    x = make_x(x_kind)
    if x_kind == "read-only":
        x.flags.writeable = False
    squares = lambda: float((np.asarray(x, float) ** 2).sum())  # noqa: E731
    f = {"scalar": squares, "numpy-scalar": lambda: np.float64(squares()),
         "array": lambda: np.asarray(x, float) ** 2, "string": lambda: "loss",
         "nan": lambda: float("nan"), "bool": lambda: True}[f_kind]
    before = np.array(x, copy=True)
    grad = outcome(lambda: numerical_gradient(f, x, eps), "x", "eps", "f ", "f must")
    np.testing.assert_array_equal(np.asarray(x), before)  # restored, whatever happened
    if grad is not None:
        assert x_kind in ("float64", "scalar-array")
        assert f_kind in ("scalar", "numpy-scalar") or (f_kind, x_kind) == ("array", "scalar-array")
        np.testing.assert_allclose(grad, 2 * before, rtol=1e-6)


def test_numerical_gradient_no_longer_returns_wrong_numbers_for_integers_or_float32():
    for x in (np.array([2, 4]), np.array([2.0, 4.0], dtype=np.float32)):
        with pytest.raises(TypeError, match="x must be a float64 array"):
            numerical_gradient(lambda x=x: float((x.astype(float) ** 2).sum()), x)


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def f():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@FAST
@given(a=st.sampled_from([[1.0, 2.0], "ab", [[1.0], [1.0, 2.0]], [np.nan, 1.0], [1.0, 2.0, 3.0]]))
def test_relative_error_is_finite_or_refuses(a):
    value = outcome(lambda: relative_error(a, [1.0, 2.5]), "a ", "a must", "same shape")
    assert value is None or 0 <= value <= 1


# --- sampling: any length, temperature, prompt, rng ---

CELL = get_cell("rnn")
PARAMS = CELL.init_params(3, 4, rng=0)
VOCAB = ["a", "b", "c"]


@FAST
@given(length=st.sampled_from([0, 1, 7, -1, -5, 2.5, "3", None, True, np.int64(4)]),
       temperature=st.sampled_from([1.0, 0.3, 50.0, 1e-300, 0, -1, float("inf"),
                                    float("nan"), 1e-320, "hot", None]),
       prompt=st.sampled_from(["", "ab", "z", 3]),
       rng=st.sampled_from([0, 1, -1, 2.5, "seed", None]))
def test_sample_is_a_text_of_the_asked_length_or_refuses(length, temperature, prompt, rng):
    text = outcome(lambda: sample(CELL, PARAMS, VOCAB, length, temperature=temperature,
                                  prompt=prompt, rng=rng),
                   "length", "temperature", "prompt", "rng", "not in the vocabulary")
    if text is not None:
        assert text.startswith(prompt) and len(text) == len(prompt) + int(length)
        assert set(text) <= set(VOCAB)


def test_sample_with_no_prompt_and_no_length_is_empty():
    assert sample(CELL, PARAMS, VOCAB, 0) == ""
    with pytest.raises(ValueError, match="length must be an integer of at least 0; got -3"):
        sample(CELL, PARAMS, VOCAB, -3)


@FAST
@given(tau=st.floats(min_value=2.3e-308, max_value=1e300),
       y=st.lists(st.floats(0, 1), min_size=2, max_size=5).filter(lambda v: sum(v) > 0))
def test_any_normal_positive_temperature_gives_a_distribution(tau, y):
    y = np.array(y) / sum(y)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no warning either
        p = apply_temperature(y, tau)
    assert np.isfinite(p).all() and (p >= 0).all() and math.isclose(p.sum(), 1.0, rel_tol=1e-9)


# --- data, symbols and activations ---

@FAST
@given(ids=st.lists(st.integers(-3, 5), min_size=0, max_size=6),
       B=st.sampled_from(ODD_VALUES), T=st.sampled_from(ODD_VALUES))
def test_text_helpers_refuse_bad_ids_sizes_and_chunk_lengths(ids, B, T):
    text = outcome(lambda: decode(ids, VOCAB), "ids")
    assert text is None or len(text) == len(ids)
    assert (text is None) == any(i < 0 or i >= 3 for i in ids)
    pair = outcome(lambda: streams(np.array(ids, dtype=int), B), "B", "too short", "ids")
    if pair is not None:
        parts = outcome(lambda: list(chunks(*pair, T)), "T")
        assert parts is None or sum(len(X) for X, _ in parts) == len(pair[0])
        batch = outcome(lambda: one_hot_batch(pair[0], 3), "ids")
        assert batch is None or batch.shape == (len(pair[0]), 3, pair[0].shape[1])


@pytest.mark.parametrize("call, message", [
    (lambda: encode("ab", ["a", "a", "b"]), "lists 'a' twice"),
    (lambda: decode([0, -1], VOCAB), "ids must be in 0 .. 2; got -1"),
    (lambda: one_hot_batch(np.array([[0, 3]]), 3), "ids must be in 0 .. 2; got 3"),
    (lambda: split_text("abc", "half"), "held_out must be a number in [0, 1)"),
    (lambda: streams(np.arange(9), 0), "B must be an integer of at least 1; got 0"),
    (lambda: list(chunks(np.zeros((4, 2), int), np.zeros((4, 2), int), -1)), "T must be"),
    (lambda: symbols(123), "text must be a str; got int"),
    (lambda: vocabulary([1, 2]), "seq must hold strings; item 0 is 1"),
    (lambda: one_hot(["a"], ["a", "a"]), "lists 'a' twice"),
    (lambda: softmax(np.array([1.0, np.inf])), "z must be finite"),
    (lambda: softmax([[1.0], [1.0, 2.0]]), "z must be a rectangular array"),
    (lambda: tanh("x"), "a must hold real numbers"),
    (lambda: sigmoid(np.array([np.nan])), "z must be a number"),
    (lambda: rnn.forward(PARAMS, [[1.0, 0.0, 0.0], [0.0, 1.0]]), "X must be a rectangular array"),
    (lambda: make_optimizer("adam", float("inf")), "lr (the learning rate) must be a positive"),
    (lambda: make_optimizer(["adam"], 0.1), "optimizer must be one of"),
    (lambda: Adam(0.1, beta1=1.0), "beta1 must be a number in [0, 1)"),
])
def test_bad_arguments_get_one_line_naming_them(call, message):
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert message in str(info.value) and "\n" not in str(info.value)


def test_an_optimizer_never_makes_a_bad_update():
    params = CELL.init_params(3, 4, rng=0)
    before = params.copy()
    grads = params.zeros_like()
    grads.W_H[0, 0] = np.nan
    with pytest.raises(ValueError, match="grads.W_H holds NaN or infinity; no update made"):
        Adam(0.1).update(params, grads)
    wrong = params.zeros_like()
    wrong.b_h = np.zeros((4, 4))  # would broadcast into b_h (4, 1) ... if it were allowed
    with pytest.raises(ValueError, match="grads.b_h must have the shape of params.b_h"):
        SGD(0.1).update(params, wrong)
    for (name, a), (_, b) in zip(params.items(), before.items()):
        np.testing.assert_array_equal(a, b, err_msg=name)


# --- the training loop: no hang, no silent NaN ---

@pytest.mark.parametrize("kwargs, message", [
    ({"updates": 3, "seq_len": 0}, "seq_len must be an integer of at least 1"),
    ({"updates": 3, "seq_len": -2}, "seq_len must be"),
    ({"updates": -1, "seq_len": 4}, "updates must be an integer of at least 0"),
    ({"updates": 2.5, "seq_len": 4}, "updates must be an integer"),
    ({"updates": 3, "seq_len": 4, "clip": float("inf")}, "clip must be a positive number"),
])
def test_train_refuses_settings_that_would_hang_or_mislead(kwargs, message):
    inputs, targets = streams(np.arange(30) % 3, 2)
    with pytest.raises((TypeError, ValueError), match=message.replace("(", r"\(")):
        train(CELL, CELL.init_params(3, 4, rng=0), inputs, targets, SGD(0.1), **kwargs)


def test_train_stops_at_a_non_finite_loss_before_applying_it():
    params = CELL.init_params(3, 4, rng=0)
    inputs, targets = streams(np.arange(30) % 3, 2)

    def nan_loss(cell, params, X, Y, state):
        return float("nan"), params.zeros_like(), state

    before = params.copy()
    with pytest.raises(Diverged, match="at update 1 the loss was nan"):
        train(CELL, params, inputs, targets, SGD(0.1), updates=3, seq_len=4, chunk_step=nan_loss)
    np.testing.assert_array_equal(params.W_H, before.W_H)


@pytest.mark.parametrize("call, message", [
    (lambda: stdlib_source("bisect"), "modules must be a list of module names"),
    (lambda: stdlib_source(["no_such_module"]), "no pure-Python standard library module"),
    (lambda: stdlib_source(["bisect"], max_chars=-5), "max_chars must be an integer of at least 0"),
    (lambda: truncated_gradient(CELL, PARAMS, np.zeros((4, 2), int), np.zeros((4, 2), int), T=-1),
     "T must be an integer of at least 1"),
])
def test_corpora_and_truncated_bptt_refuse_what_would_be_silently_wrong(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()
