"""rnn_book.gradient_flow: spectral scaling, the RNN's Jacobian, state-gradient norms, clipping."""

import numpy as np
import pytest

from rnn_book import lstm, rnn
from rnn_book.gradcheck import numerical_gradient
from rnn_book.gradient_flow import (
    clip_by_global_norm,
    global_norm,
    last_step_loss_and_grads,
    lstm_cell_path_norms,
    lstm_state_gradient_norms,
    rnn_jacobian,
    rnn_state_gradient_norms,
    scale_spectral_radius,
    spectral_radius,
)
from rnn_book.losses import cross_entropy


def test_scale_spectral_radius_scales_every_eigenvalue_alike():
    W = np.random.default_rng(1).standard_normal((6, 6))
    for rho in (0.5, 1.0, 2.5):
        scaled = scale_spectral_radius(W, rho)
        assert spectral_radius(scaled) == pytest.approx(rho, rel=1e-12)
        np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(scaled)),
                                   np.sort_complex(np.linalg.eigvals(W)) * rho / spectral_radius(W),
                                   rtol=1e-10)


def test_rnn_jacobian_matches_finite_differences():
    params = rnn.init_params(k=4, d=5, rng=2)
    params.b_h[:] = np.random.default_rng(3).normal(size=(5, 1))
    x_t = np.eye(4)[:, [1]]
    h_prev = np.random.default_rng(4).uniform(-1, 1, (5, 1))
    h_t, _, _ = rnn.step_forward(params, x_t, h_prev)
    J = rnn_jacobian(params, h_t)
    for i in range(5):
        row = numerical_gradient(lambda i=i: float(rnn.step_forward(params, x_t, h_prev)[0][i, 0]),
                                 h_prev)
        np.testing.assert_allclose(J[i], row.ravel(), rtol=1e-7, atol=1e-10)


def _last_step_loss(model, params, X, target, states):
    Y, _ = model.forward(params, X, *states)
    return cross_entropy(Y[-1:], np.asarray(target).reshape((1, -1) if X.ndim == 3 else (1,)))


@pytest.mark.parametrize("batched", [False, True])
def test_rnn_norms_are_the_norms_of_the_true_gradients(batched):
    rng = np.random.default_rng(5)
    params = rnn.init_params(k=3, d=4, k_out=5, rng=rng)
    X = rng.standard_normal((6, 3, 2) if batched else (6, 3))
    target = [1, 4] if batched else 2
    h0 = rng.uniform(-0.5, 0.5, (4, 2) if batched else (4,))
    norms = rnn_state_gradient_norms(params, X, target, h0)
    assert norms.shape == (7,)
    dh0 = numerical_gradient(lambda: _last_step_loss(rnn, params, X, target, (h0,)), h0)
    assert norms[-1] == pytest.approx(np.linalg.norm(dh0), rel=1e-7)
    # dL/dh_T: only the output path, W_Y^T (y_T - onehot) / B
    Y, _ = rnn.forward(params, X, h0)
    dz_T = Y[-1].copy()
    if batched:
        dz_T[target, [0, 1]] -= 1
        dz_T /= 2
    else:
        dz_T[target] -= 1
    assert norms[0] == pytest.approx(np.linalg.norm(params.W_Y.T @ dz_T), rel=1e-12)


def test_rnn_norms_at_every_distance_match_finite_differences():
    """Run the tail of the sequence from a perturbed h_t: the true dL/dh_t at every t."""
    rng = np.random.default_rng(6)
    params = rnn.init_params(k=3, d=4, rng=rng)
    X = rng.standard_normal((5, 3))
    norms = rnn_state_gradient_norms(params, X, 1)
    _, cache = rnn.forward(params, X)
    for t in range(1, 5):  # h_t as the initial state of the steps t+1 .. T
        h_t = cache.H[t - 1].copy()
        num = numerical_gradient(lambda t=t, h_t=h_t: _last_step_loss(rnn, params, X[t:], 1, (h_t,)),
                                h_t)
        assert norms[5 - t] == pytest.approx(np.linalg.norm(num), rel=1e-7)


def test_lstm_norms_match_finite_differences_for_h_and_c():
    rng = np.random.default_rng(7)
    params = lstm.init_params(k=3, d=4, rng=rng)
    for _, value in params.items():
        value += 0.1 * rng.standard_normal(value.shape)  # nonzero biases in every gate
    X = rng.standard_normal((5, 3))
    dh_norms, dc_norms = lstm_state_gradient_norms(params, X, 2)
    _, cache = lstm.forward(params, X)
    for t in range(1, 5):
        h_t, c_t = cache.H[t - 1].copy(), cache.C[t - 1].copy()
        o_t = cache.steps[t - 1].o_t.ravel()

        def tail(t=t, h_t=h_t, c_t=c_t):
            return _last_step_loss(lstm, params, X[t:], 2, (h_t, c_t))

        def tail_from_c(t=t, o_t=o_t, c_t=c_t):  # the total derivative: h_t = o_t * tanh(c_t) moves with c_t
            return _last_step_loss(lstm, params, X[t:], 2, (o_t * np.tanh(c_t), c_t))

        assert dh_norms[5 - t] == pytest.approx(np.linalg.norm(numerical_gradient(tail, h_t)),
                                                rel=1e-7)
        assert dc_norms[5 - t] == pytest.approx(
            np.linalg.norm(numerical_gradient(tail_from_c, c_t)), rel=1e-7)
    h0, c0 = np.zeros(4), np.zeros(4)
    dc0 = numerical_gradient(lambda: _last_step_loss(lstm, params, X, 2, (h0, c0)), c0)
    assert dc_norms[5] == pytest.approx(np.linalg.norm(dc0), rel=1e-7)


def test_the_simple_rnn_gradient_vanishes_below_and_explodes_above_spectral_radius_one():
    rng = np.random.default_rng(0)
    X = 0.1 * rng.standard_normal((40, 4, 8))  # small inputs: tanh near its linear range
    target = rng.integers(0, 4, 8)
    params = rnn.init_params(k=4, d=32, rng=1)
    params.W_H[:] = scale_spectral_radius(params.W_H, 0.5)
    small = rnn_state_gradient_norms(params, X, target)
    params.W_H[:] = scale_spectral_radius(params.W_H, 2.0)
    large = rnn_state_gradient_norms(params, X, target)
    assert small[-1] < 1e-8 * small[0]
    assert large[-1] > 1e2 * large[0]


def _grads(kind):
    rng = np.random.default_rng(8)
    if kind == "rnn":
        params = rnn.init_params(k=4, d=3, rng=rng)
        _, cache = rnn.forward(params, np.eye(4)[[0, 1, 2]])
        return rnn.backward(params, cache, [1, 2, 3])[0]
    params = lstm.init_params(k=4, d=3, rng=rng)
    _, cache = lstm.forward(params, np.eye(4)[[0, 1, 2]])
    return lstm.backward(params, cache, [1, 2, 3])[0]


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_clipping_keeps_the_direction_and_caps_the_norm(kind):
    grads = _grads(kind)
    before = {name: value.copy() for name, value in grads.items()}
    norm = global_norm(grads)
    clipped, reported = clip_by_global_norm(grads, norm / 10)
    assert type(clipped) is type(grads)
    assert reported == pytest.approx(norm, rel=1e-15)
    assert global_norm(clipped) == pytest.approx(norm / 10, rel=1e-12)
    assert global_norm(clipped) <= norm / 10 * (1 + 1e-12)
    for name, value in clipped.items():  # one factor for every array: the same direction
        np.testing.assert_allclose(value, before[name] / 10, rtol=1e-12)
        np.testing.assert_array_equal(getattr(grads, name), before[name])  # input untouched


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_clipping_is_a_no_op_below_the_threshold(kind):
    grads = _grads(kind)
    norm = global_norm(grads)
    for max_norm in (norm, 2 * norm, 1e9):
        clipped, reported = clip_by_global_norm(grads, max_norm)
        assert reported == norm
        for name, value in clipped.items():
            np.testing.assert_array_equal(value, getattr(grads, name))
            assert value is not getattr(grads, name)


def test_global_norm_is_the_norm_of_everything_concatenated():
    grads = _grads("lstm")
    flat = np.concatenate([value.ravel() for _, value in grads.items()])
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat), rel=1e-14)


def test_clipping_keeps_float32_and_works_on_dicts():
    grads = _grads("rnn").astype(np.float32)
    clipped, _ = clip_by_global_norm(grads, 1e-3)
    assert all(value.dtype == np.float32 for _, value in clipped.items())
    out, norm = clip_by_global_norm({"a": np.array([30.0, 40.0])}, 5.0)
    assert norm == 50.0 and out["a"].tolist() == pytest.approx([3.0, 4.0])


@pytest.mark.parametrize("max_norm", [0, -1.0, np.inf, np.nan])
def test_clipping_rejects_a_bad_threshold(max_norm):
    with pytest.raises(ValueError, match="max_norm must be a positive finite number"):
        clip_by_global_norm(_grads("rnn"), max_norm)


def test_clipping_a_zero_gradient_is_safe():
    zeros = rnn.init_params(k=2, d=2, rng=0).zeros_like()
    clipped, norm = clip_by_global_norm(zeros, 1.0)
    assert norm == 0.0 and global_norm(clipped) == 0.0


def test_the_cell_path_is_all_of_dc_when_no_gate_sees_h_prev():
    """With every W_hh_* = 0, c_t reaches the loss only along the cell: the two norms agree."""
    rng = np.random.default_rng(9)
    params = lstm.init_params(k=3, d=4, rng=rng)
    X = rng.standard_normal((8, 3, 2))
    for gate in lstm.GATES:
        getattr(params, f"W_hh_{gate}")[:] = 0
    _, dc_norms = lstm_state_gradient_norms(params, X, [0, 2])
    np.testing.assert_allclose(lstm_cell_path_norms(params, X, [0, 2]), dc_norms, rtol=1e-12)


def test_the_cell_path_is_the_product_of_the_forget_gates():
    rng = np.random.default_rng(10)
    params = lstm.init_params(k=3, d=4, rng=rng)
    X = rng.standard_normal((6, 3))
    params.W_xh_f[:] = 0
    params.W_hh_f[:] = 0
    params.b_h_f[:] = np.log(0.8 / 0.2)  # f_t = 0.8 at every step
    norms = lstm_cell_path_norms(params, X, 1)
    np.testing.assert_allclose(norms, norms[0] * 0.8 ** np.arange(7), rtol=1e-12)


def test_lstm_step_cache_names_every_entry_of_step_forward_s_cache():
    from rnn_book.activations import sigmoid
    rng = np.random.default_rng(13)
    params = lstm.init_params(k=3, d=4, rng=rng)
    x_t, h_prev, c_prev = rng.standard_normal((3, 2)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    h_t, c_t, _, step = lstm.step_forward(params, x_t, h_prev, c_prev)
    assert isinstance(step, lstm.LSTMStepCache)
    assert step.x_t is x_t and step.h_prev is h_prev and step.c_prev is c_prev
    for gate in "fio":
        a = getattr(params, f"W_xh_{gate}") @ x_t + getattr(params, f"W_hh_{gate}") @ h_prev
        np.testing.assert_allclose(getattr(step, f"{gate}_t"), sigmoid(a + getattr(params, f"b_h_{gate}")))
    np.testing.assert_allclose(step.g_t, np.tanh(params.W_xh_g @ x_t + params.W_hh_g @ h_prev
                                                 + params.b_h_g))
    np.testing.assert_allclose(step.tanh_c_t, np.tanh(c_t))
    np.testing.assert_array_equal(step.h_t, h_t)


def test_the_cell_path_uses_each_step_s_own_forget_gate():
    """Gates that change from step to step, recomputed from the states: the named cache entries."""
    from rnn_book.activations import sigmoid, tanh_grad
    rng = np.random.default_rng(12)
    params = lstm.init_params(k=3, d=4, rng=rng)
    X = rng.standard_normal((5, 3, 2))
    target = [2, 0]
    Y, cache = lstm.forward(params, X)
    H = np.concatenate([np.zeros((1, 4, 2)), cache.H])  # H[t] = h_t
    f = [sigmoid(params.W_xh_f @ X[t] + params.W_hh_f @ H[t] + params.b_h_f) for t in range(5)]
    o_T = sigmoid(params.W_xh_o @ X[4] + params.W_hh_o @ H[4] + params.b_h_o)
    dz_T = Y[-1].copy()
    dz_T[target, [0, 1]] -= 1
    dc = (params.W_Y.T @ dz_T / 2) * o_T * tanh_grad(np.tanh(cache.C[-1]))  # dL/dc_T
    expected = [np.linalg.norm(dc)]
    for s in range(1, 6):
        dc = f[5 - s] * dc  # f_{T-s+1} is f[T - s] in code order
        expected.append(np.linalg.norm(dc))
    np.testing.assert_allclose(lstm_cell_path_norms(params, X, target), expected, rtol=1e-10)


@pytest.mark.parametrize("model", [rnn, lstm])
@pytest.mark.parametrize("batched", [False, True])
def test_last_step_loss_and_grads_match_finite_differences(model, batched):
    rng = np.random.default_rng(11)
    params = model.init_params(k=3, d=4, k_out=5, rng=rng)
    for _, value in params.items():
        value += 0.1 * rng.standard_normal(value.shape)  # nonzero biases
    X = rng.standard_normal((5, 3, 2) if batched else (5, 3))
    target = [4, 1] if batched else 3
    loss, grads = last_step_loss_and_grads(params, X, target)
    assert loss == pytest.approx(_last_step_loss(model, params, X, target, ()), rel=1e-14)
    for name, value in params.items():
        numerical = numerical_gradient(lambda: _last_step_loss(model, params, X, target, ()), value)
        np.testing.assert_allclose(getattr(grads, name), numerical, rtol=1e-6, atol=1e-9)
