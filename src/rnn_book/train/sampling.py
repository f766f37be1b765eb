"""Sampling text from a trained model, and perplexity on text it has not seen.

Sampling feeds the model its own output: draw the next character from y_t,
make it the next input ``x_{t+1}``, repeat. A temperature tau reshapes y_t first:
p_i proportional to y_i ** (1 / tau), that is softmax(z_t / tau). Below 1 the
likely characters get likelier (safer, more repetitive text); above 1 the
distribution flattens towards uniform (more surprising, more mistakes).
"""

import numpy as np

from rnn_book.checks import as_count, as_numeric, as_positive
from rnn_book.losses import cross_entropy
from rnn_book.train.data import check_vocab, chunks, encode, one_hot_batch, streams
from rnn_book.train.stacks import refuse_bidirectional

__all__ = ["apply_temperature", "generate", "sample", "mean_loss", "perplexity"]


# --8<-- [start:apply_temperature]
def apply_temperature(y, temperature):
    """The distribution softmax(z / tau), computed from y = softmax(z).

    Parameters
    ----------
    y : (k,) ndarray
        Probabilities.
    temperature : float
        tau > 0.

    Returns
    -------
    p : (k,) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.sampling import apply_temperature
    >>> y = np.array([0.5, 0.3, 0.2])
    >>> apply_temperature(y, 1.0).round(3), apply_temperature(y, 0.5).round(3)
    (array([0.5, 0.3, 0.2]), array([0.658, 0.237, 0.105]))
    """
    temperature = as_positive("temperature", temperature)
    y = as_numeric("y", y)  # no NaN: the outputs of parameters too large to compute with
    if (y < 0).any() or not y.sum() > 0:
        raise ValueError("y must hold probabilities, not negative, not all zero")
    # --8<-- [start:apply_temperature_math]
    log_y = np.log(np.maximum(y, np.finfo(float).tiny))
    with np.errstate(over="ignore", under="ignore"):  # a tiny tau: -inf, whose e^ is 0
        log_p = (log_y - log_y.max()) / temperature  # log y / tau, shifted to max 0
        p = np.exp(log_p)  # y ** (1 / tau), without overflow
    return p / p.sum()
    # --8<-- [end:apply_temperature_math]
# --8<-- [end:apply_temperature]


# --8<-- [start:sample]
def generate(cell, params, vocab, length, *, temperature=1.0, prompt="", rng=None):
    """The characters of :func:`sample`, one at a time, as they are drawn.

    Nothing is kept but the state, so ``length`` may be as large as you like:
    print the characters as they come, and stop when you want. The parameters
    are those of :func:`sample`.

    Returns
    -------
    chars : iterator of str
        The prompt's characters first, then ``length`` drawn ones. The
        arguments are checked when ``generate`` is called.

    Examples
    --------
    >>> from rnn_book.train.sampling import generate
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("rnn")
    >>> params = cell.init_params(k=3, d=4, rng=0)
    >>> chars = generate(cell, params, ["a", "b", "c"], 10**12, rng=0)
    >>> "".join(next(chars) for _ in range(5))
    'caaac'
    """
    rng, k, length = _check_sampling(cell, params, vocab, length, temperature, prompt, rng)
    return _draw(cell, params, vocab, length, temperature, prompt, rng)  # checked before any work


def _draw(cell, params, vocab, length, temperature, prompt, rng):
    k = len(vocab)
    ids = list(encode(prompt, vocab)) if prompt else [int(rng.integers(k))] if length else []
    yield from (vocab[i] for i in ids)
    if not ids:  # nothing to read and nothing to draw
        return
    length -= 0 if prompt else 1
    state = cell.zero_state(params.d, 1, params.dtype)  # (d, 1) each
    # --8<-- [start:sample_loop]
    Y, _, state = cell.forward(params, one_hot_batch(np.array(ids)[:, None], k), state)
    for _ in range(length):
        p = apply_temperature(Y[-1, :, 0], temperature)  # (k,)  the last step's y_t
        i = int(rng.choice(k, p=p))  # the drawn character ...
        yield vocab[i]
        X = one_hot_batch(np.array([[i]]), k)  # (1, k, 1)  ... is the next input
        Y, _, state = cell.forward(params, X, state)
    # --8<-- [end:sample_loop]


def sample(cell, params, vocab, length, *, temperature=1.0, prompt="", rng=None):
    """Text written by the model: ``prompt``, then ``length`` drawn characters.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    vocab : list of str
        The model's characters.
    length : int
        How many characters to draw after the prompt, 0 or more.
    temperature : float, optional
        tau > 0; 1 samples the model's own distribution.
    prompt : str, optional
        Read first, to set the state. Empty: the first character is drawn
        uniformly from ``vocab`` and counts towards ``length``.
    rng : int or numpy.random.Generator, optional

    Returns
    -------
    text : str
        The prompt followed by the drawn characters.

    Examples
    --------
    >>> from rnn_book.train.sampling import sample
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("rnn")
    >>> params = cell.init_params(k=3, d=4, rng=0)
    >>> sample(cell, params, ["a", "b", "c"], 8, prompt="ab", rng=0)
    'abcaaaccbc'
    >>> sample(cell, params, ["a", "b", "c"], 0)  # no prompt, nothing drawn
    ''
    """
    return "".join(generate(cell, params, vocab, length, temperature=temperature,
                            prompt=prompt, rng=rng))
# --8<-- [end:sample]


def _check_sampling(cell, params, vocab, length, temperature, prompt, rng):
    """Every argument of :func:`generate` checked before any work: ``(rng, k, length)``."""
    refuse_bidirectional(params, "sampling text")
    check_vocab(vocab)
    k = len(vocab)
    if params.k != k:
        raise ValueError(f"the model reads {params.k} symbols; the vocabulary has {k}")
    length = as_count("length", length, minimum=0)
    as_positive("temperature", temperature)
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a str; got {type(prompt).__name__}")
    encode(prompt, vocab)  # every character known
    if isinstance(rng, (bool, float)) or (isinstance(rng, int) and rng < 0):
        raise ValueError(f"rng must be a non-negative integer seed or a Generator; got {rng!r}")
    try:
        rng = np.random.default_rng(rng)
    except (TypeError, ValueError) as error:
        raise TypeError(f"rng must be a non-negative integer seed or a Generator; got {rng!r}: "
                        f"{error}") from None
    return rng, k, length


# --8<-- [start:perplexity]
def mean_loss(cell, params, ids, *, B=1, seq_len=100):
    """The mean cross-entropy per character of a text (nats), the state carried.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    ids : (N,) array_like of int
        The encoded text; every character but the first is predicted.
    B : int, optional
        Read the text as B streams at once (each starting from zeros):
        faster, and the same as one stream but for the B starts.
    seq_len : int, optional
        Chunk length; with no backward pass it only bounds memory.

    Returns
    -------
    loss : float
    """
    refuse_bidirectional(params, "the loss of predicting each next character")
    B, seq_len = as_count("B", B), as_count("seq_len", seq_len)
    # --8<-- [start:mean_loss_body]
    inputs, targets = streams(ids, B)  # (n, B) each
    state = cell.zero_state(params.d, B, params.dtype)
    total = 0.0
    for X_ids, Y_ids in chunks(inputs, targets, seq_len):
        X = one_hot_batch(X_ids, params.k, params.dtype)  # (T, k, B)
        Y, _, state = cell.forward(params, X, state)
        total += cross_entropy(Y, Y_ids) * B  # summed over steps and streams
    return total / inputs.size
    # --8<-- [end:mean_loss_body]


def perplexity(cell, params, ids, *, B=1, seq_len=100):
    """exp(mean loss per character): how many characters the model hesitates between.

    A model that knows nothing spreads its probability evenly over the k
    characters and has perplexity k; a model that is always sure and right
    has perplexity 1.

    Examples
    --------
    >>> from rnn_book.train.sampling import perplexity
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("rnn")
    >>> params = cell.init_params(k=3, d=4, rng=0)
    >>> params.W_Y[...] = 0  # every y_t uniform: the model knows nothing
    >>> round(perplexity(cell, params, [0, 1, 2, 0, 1]), 6)
    3.0
    """
    return float(np.exp(mean_loss(cell, params, ids, B=B, seq_len=seq_len)))
# --8<-- [end:perplexity]
