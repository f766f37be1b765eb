"""Training the book's cells: data, truncated BPTT, optimizers, a loop, and what comes after.

Modules, one idea each: ``cells`` (the few functions the loop needs from a
model), ``corpora`` (texts every Python has), ``data`` (characters to
integers, parallel streams, chunks), ``bptt`` (truncated backpropagation
through time), ``optim`` (SGD, Adagrad, Adam), ``loop`` (the training loop),
``sampling`` (text from a model; perplexity), ``checkpoint`` (save and load
``.npz``), ``memory`` (the bytes a run needs, checked before allocating), ``stacks``
(a deep or bidirectional network as a cell), ``tagging`` (a label per character),
``regression`` (a squared-error head) and ``series`` (a seasonal
series and naive forecasts). Clipping by global norm is
:func:`rnn_book.gradient_flow.clip_by_global_norm`.
"""
