"""The memory a run would need is estimated before anything is allocated,
for one cell and for stacks of layers in one or both directions."""

import numpy as np

from rnn_book.train.cells import get_cell
from rnn_book.train.memory import param_count, training_bytes
from rnn_book.train.stacks import StackCell


def activations(cell, k, d, T, B):
    """The estimate's part that grows with T: everything but the parameter copies."""
    return training_bytes(cell, k, d, T, B) - training_bytes(cell, k, d, 0, B)


def test_a_stack_needs_activations_for_every_layer_and_direction():
    k, d, T, B = 65, 100, 25, 8
    one = activations(get_cell("lstm"), k, d, T, B)
    deep = activations(StackCell("lstm", layers=3, bidirectional=True), k, d, T, B)
    io = 3 * k * B * T * 8  # x_t, y_t, dz_t in float64, shared by both
    assert deep - io >= 6 * (one - io)  # 3 layers x 2 directions


def test_the_parameter_part_counts_every_layer():
    k, d = 65, 100
    stack = StackCell("gru", layers=2, bidirectional=False)
    assert param_count(stack, k, d) > 2 * param_count(get_cell("gru"), k, d) - k * (d + 1)
    assert training_bytes(stack, k, d, 0, 1) == 8 * (3 + 2) * param_count(stack, k, d)


def test_float32_halves_the_estimate():
    cell = StackCell("rnn", layers=2, bidirectional=True)
    assert training_bytes(cell, 10, 20, 30, 4, dtype=np.float32) * 2 == training_bytes(cell, 10, 20, 30, 4)
