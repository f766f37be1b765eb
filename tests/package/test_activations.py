"""tanh, sigmoid and softmax: values, derivatives, and no overflow at extreme inputs."""

import numpy as np
import pytest

from rnn_book.activations import sigmoid, sigmoid_grad, softmax, tanh, tanh_grad
from rnn_book.gradcheck import numerical_gradient, relative_error


def elementwise_derivative(f, a):
    """d f(a_i) / d a_i by central differences, for an elementwise f."""
    return numerical_gradient(lambda: float(f(a).sum()), a)


def test_tanh_is_the_lectures_formula():
    a = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(tanh(a), (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a)))


def test_tanh_grad_is_the_derivative_written_from_the_output():
    a = np.linspace(-3, 3, 13)
    assert relative_error(tanh_grad(tanh(a)), elementwise_derivative(tanh, a)) < 1e-9


def test_sigmoid_matches_the_textbook_formula_for_moderate_inputs():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)


def test_sigmoid_grad_is_the_derivative_written_from_the_output():
    z = np.linspace(-6, 6, 25)
    assert relative_error(sigmoid_grad(sigmoid(z)), elementwise_derivative(sigmoid, z)) < 1e-9


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_finite_and_silent_at_extremes(dtype):
    z = np.array([-1e3, -100.0, 0.0, 100.0, 1e3], dtype)
    with np.errstate(all="raise"):
        s = sigmoid(z)
    assert np.isfinite(s).all() and s.dtype == dtype
    np.testing.assert_array_equal(s[[0, 2, 4]], [0.0, 0.5, 1.0])
    assert np.all(np.diff(s) >= 0)


def test_softmax_columns_are_distributions():
    z = np.random.default_rng(0).standard_normal((5, 3))  # (k_out, B)
    y = softmax(z)
    np.testing.assert_allclose(y.sum(axis=0), np.ones(3))
    np.testing.assert_allclose(y, np.exp(z) / np.exp(z).sum(axis=0))
    np.testing.assert_allclose(softmax(z + 100.0), y)  # shifting a column changes nothing


def test_softmax_axis():
    z = np.random.default_rng(1).standard_normal((3, 5))
    np.testing.assert_allclose(softmax(z, axis=1), softmax(z.T).T)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_is_finite_and_silent_for_logits_of_1e4(dtype):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 0.0], [0.0, 1e4, 0.0]], dtype)
    with np.errstate(all="raise"):
        y = softmax(z)
    assert np.isfinite(y).all() and y.dtype == dtype
    np.testing.assert_allclose(y.sum(axis=0), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(y[:, 0], [1.0, 0.0, 0.0])
