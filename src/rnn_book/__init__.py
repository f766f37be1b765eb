"""rnn_book: recurrent networks from scratch in numpy, the package behind the book.

Modules, one idea each: ``symbols`` (vocabularies and one-hot rows),
``activations`` (tanh, sigmoid, softmax and their derivatives), ``losses``
(cross-entropy), ``gradcheck`` (finite differences), ``checks`` (input
validation), ``params`` (what every model's parameters share), ``recurrent`` (the
checks every model makes before its time loops),
``rnn_params`` and ``rnn`` (the simple RNN), ``lstm_params`` and
``lstm`` (the LSTM), ``gru_params`` and ``gru`` (the GRU), ``stack_params`` and
``stack`` (deep and bidirectional networks of any cell), ``torch_io`` (PyTorch
state dicts, both ways), ``gradient_flow`` (gradient norms back in time, and
clipping by global norm).

Subpackages: ``fast`` (the same forward/backward contract, restructured for
speed and proven equal to the readable modules), ``train`` (data, truncated
BPTT, optimizers, the training loop, sampling, checkpoints, a regression head
for time series), and ``cli`` (the ``rnn-book`` command).
"""
