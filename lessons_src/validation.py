"""Argument checks shared by every public function of ``lessons_src``.

Each check raises a ``ValueError`` (bad value) or ``TypeError`` (bad type) whose message names
the argument and the offending value, so a student reading the traceback knows what to fix.
NumPy integer types (``np.uint8``, ``np.int64``...) are accepted wherever an ``int`` is, and are
converted with ``int()`` before they reach scikit-learn or SciPy (a ``np.uint8`` ``n_clusters``
has been seen to corrupt memory inside ARPACK).
"""
import numbers

import numpy as np
from scipy import sparse
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "check_positive_int",
    "check_array_2d",
    "check_n_clusters",
    "check_image",
    "check_image_stack",
    "image_stack_chunks",
    "check_random_state",
    "check_n_features",
    "check_number",
    "check_real_array",
    "as_real_array",
    "check_shape",
    "MAX_ABS",
    "NotFittedError",
]

MAX_ABS = 1e100
"""A magnitude bound for functions that cannot compute with larger values: beyond it squares and
products of sums (``||x||^2``, ``W @ H``) can overflow float64 (largest about 1.8e308). Functions
that can (distances in units of the largest, Ward heights, silhouettes) compute with any finite
value instead; the others refuse, naming the argument and asking to rescale it."""


class NotFittedError(_SklearnNotFittedError, RuntimeError):
    """Raised when an estimator is used before ``fit``.

    scikit-learn's ``NotFittedError`` (so its estimator checks and ``check_is_fitted`` users
    recognise it), and also a ``RuntimeError``, which is what calling too early is.
    """


def check_n_features(X, n_features_in, estimator_name):
    """Raise a ``ValueError`` when X's number of columns differs from the one seen in ``fit``.

    The message follows scikit-learn's wording ("X has 1 features, but KMeans is expecting 3
    features as input"), which scikit-learn's estimator checks look for.
    """
    if np.ndim(X) != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {np.shape(X)}: "
                         f"{estimator_name} was fitted on {n_features_in} features")
    if X.shape[1] != n_features_in:
        raise ValueError(f"X has {X.shape[1]} features, but {estimator_name} is expecting "
                         f"{n_features_in} features as input (the number it was fitted on)")


def check_positive_int(value, name, minimum=1, maximum=None):
    """Return ``value`` as a Python ``int`` after checking ``minimum <= value <= maximum``.

    Parameters
    ----------
    value : int or numpy integer
    name : str
        The argument's name, used in the error message.
    minimum, maximum : int or None
        Inclusive bounds (``maximum=None`` means unbounded).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {name}={value}")
    return value


def check_array_2d(X, name="X", allow_negative=True, min_samples=1, dtype=np.float64):
    """Return ``X`` as a finite float array of shape (n_samples, n_features).

    Raises ``ValueError`` for the wrong number of dimensions, too few samples, NaN, infinity,
    or (with ``allow_negative=False``) a negative entry, naming the offending value.
    """
    if sparse.issparse(X):
        raise TypeError(f"{name} is a sparse {type(X).__name__}: sparse input is not supported, "
                        f"pass a dense array ({name}.toarray())")
    try:
        X = np.asarray(X)
        if X.dtype.kind in "USV":
            raise TypeError(f"{name} must be a numeric array, got dtype {X.dtype}")
        complex_input = X.dtype.kind == "c"
        if not complex_input:
            X = X.astype(dtype, copy=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array, could not convert it: {exc}") from None
    if complex_input:
        # Casting to float would silently drop the imaginary part.
        raise ValueError(f"{name} holds complex numbers: Complex data not supported, got dtype "
                         f"{X.dtype}")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {X.shape}. "
                         f"Reshape your data: {name}.reshape(-1, 1) if it has a single feature, "
                         f"{name}.reshape(1, -1) if it is a single sample")
    if X.shape[0] < min_samples:
        raise ValueError(f"{name} needs at least {min_samples} sample(s), got shape {X.shape}")
    if X.shape[1] == 0:
        raise ValueError(f"{name} has 0 feature(s) (shape={X.shape}) while a minimum of 1 is "
                         f"required.")
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(
            f"{name} must be finite, got {name}[{bad[0]}, {bad[1]}]={X[tuple(bad)]!r} (NaN or infinity)"
        )
    if not allow_negative and np.any(X < 0):
        bad = np.argwhere(X < 0)[0]
        raise ValueError(
            f"Negative values in data: {name} must be non-negative, got "
            f"{name}[{bad[0]}, {bad[1]}]={X[tuple(bad)]!r}"
        )
    return X


def check_n_clusters(n_clusters, n_samples, name="n_clusters"):
    """Return ``n_clusters`` as an ``int`` in [1, n_samples], or raise a clear error."""
    return check_positive_int(n_clusters, name, minimum=1, maximum=int(n_samples))


def check_random_state(random_state, for_sklearn=False):
    """The one reader of ``random_state`` in the package (the rule is in the package docstring).

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        None: fresh, unpredictable randomness. An int (NumPy ints too, >= 0): a reproducible
        stream. A Generator or a RandomState: drawn from directly, so the caller's object advances.
    for_sklearn : bool
        False (the default): return a ``numpy.random.Generator``, which the package's own code
        draws from. True: return what scikit-learn accepts and reads the same way, to pass on to
        a scikit-learn function or to reproduce scikit-learn's own draws: None or an int
        unchanged, a RandomState unchanged, a Generator as a RandomState sharing its bit
        generator (scikit-learn does not take Generators).

    Returns
    -------
    numpy.random.Generator, or None / int / numpy.random.RandomState with ``for_sklearn=True``
    """
    if isinstance(random_state, (bool, np.bool_)) or not (
            random_state is None or isinstance(
                random_state, (numbers.Integral, np.random.Generator, np.random.RandomState))):
        raise TypeError(f"random_state must be None, an int, a numpy Generator or a numpy "
                        f"RandomState, got {random_state!r} of type {type(random_state).__name__}")
    if isinstance(random_state, numbers.Integral):
        random_state = int(random_state)
        if not 0 <= random_state < 2 ** 32:
            raise ValueError(f"random_state must be in [0, 2**32 - 1], got random_state={random_state}")
    if for_sklearn:
        if isinstance(random_state, np.random.Generator):
            return np.random.RandomState(random_state.bit_generator)
        return random_state
    if random_state is None or isinstance(random_state, int):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    # A RandomState: the same bit generator, so drawing here advances the caller's object too.
    return np.random.Generator(random_state._bit_generator)


def _image_view(image, name):
    """The shape rules of ``check_image``: the image as (H, W, C), C in {1, 3} (alpha dropped,
    a view: nothing is copied)."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError(
            f"{name} must have shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4), got {image.shape}"
        )
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"{name} is empty, got shape {image.shape}")
    return image[:, :, :3] if image.shape[2] == 4 else image


def _image_divisor(image, name):
    """The dtype and value rules of ``check_image``, without a copy of the image: what its
    values are divided by to lie in [0, 1] (1, 255 or 65535)."""
    if image.dtype == np.bool_:
        return 1.0
    if image.dtype == np.uint8:
        return 255.0
    if image.dtype == np.uint16:
        return 65535.0
    if np.issubdtype(image.dtype, np.integer):
        raise TypeError(f"{name} dtype {image.dtype} is not supported: use uint8, uint16 or float")
    if not np.issubdtype(image.dtype, np.floating):
        raise TypeError(f"{name} dtype {image.dtype} is not supported: use uint8, uint16 or float")
    if image.dtype.itemsize > 8:             # long double: judged as the float64 it becomes
        image = image.astype(np.float64)
    if not np.all(np.isfinite(image)):
        raise ValueError(f"{name} contains NaN or infinity")
    lo, hi = float(image.min()), float(image.max())
    if lo < 0 or hi > 255:
        raise ValueError(f"{name} float values must lie in [0, 1] or [0, 255], got range [{lo}, {hi}]")
    return 255.0 if hi > 1.0 else 1.0


def _unit_float(image, divisor):
    """``image`` as a new float64 array divided by ``divisor`` (in place: one copy, not two)."""
    out = image.astype(np.float64)
    if divisor != 1.0:
        out /= divisor
    return out


def check_image(image, name="image"):
    """Return an image as float64 in [0, 1] with shape (H, W, C), C in {1, 3}.

    Accepted: gray (H, W) or (H, W, 1), RGB (H, W, 3), RGBA (H, W, 4; alpha is dropped);
    dtypes bool, uint8 (/255), uint16 (/65535), and float in [0, 1] or [0, 255] (a float image
    whose maximum exceeds 1 is taken as 0..255 and divided by 255). Anything else raises a
    ``ValueError`` or ``TypeError`` naming the shape or dtype.
    """
    image = _image_view(image, name)
    return _unit_float(image, _image_divisor(image, name))


def _stack_view(images, name):
    """The shape rules of ``check_image_stack``: the stack as (n, h, w, C), C in {1, 3}, and
    as one tall image (n h, w, C) for ``check_image``'s rules (views when ``images`` is
    contiguous)."""
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[3] not in (1, 3, 4)):
        raise ValueError(
            f"{name} must have shape (n, h, w) or (n, h, w, 3), got {images.shape}"
        )
    if images.shape[0] == 0:
        raise ValueError(f"{name} is empty, got shape {images.shape}")
    if images.ndim == 3 and images.shape[2] in (3, 4) and images.shape[1] > images.shape[2]:
        # (h, w, 3) is one colour image far more often than h gray images of width 3.
        raise ValueError(
            f"{name} has shape {images.shape}: that looks like ONE colour image (h, w, "
            f"{images.shape[2]}), not a stack of {images.shape[0]} gray images {images.shape[2]} "
            f"pixels wide. Pass a stack: {name}[None] for one colour image")
    n, h = images.shape[:2]
    # Reuse the single-image rules on the stack viewed as one tall image.
    tall = _image_view(images.reshape((n * h,) + images.shape[2:]), name)
    return tall.reshape((n, h) + tall.shape[1:]), tall


def _squeeze_gray(stack):
    return stack[..., 0] if stack.shape[3] == 1 else stack


def check_image_stack(images, name="images"):
    """Return a stack of images as float64 in [0, 1], shape (n, h, w) or (n, h, w, 3).

    Accepts (n, h, w), (n, h, w, 1), (n, h, w, 3), (n, h, w, 4) in uint8, uint16, bool or float
    ([0, 1] or [0, 255], decided over the whole stack).
    """
    stack, tall = _stack_view(images, name)
    return _squeeze_gray(_unit_float(stack, _image_divisor(tall, name)))


def image_stack_chunks(images, name="images", max_pixels=2 ** 17):
    """``check_image_stack`` a few images at a time, for functions that shrink or summarise
    the images: the float64 copy of the whole stack (33 MB for the 400 ORL faces, 8 times
    their uint8) is never made.

    The whole stack is checked at once, by the same rules and with the same messages as
    ``check_image_stack``, its scale ([0, 1] or [0, 255]) decided over the whole stack; the
    chunks are then converted one at a time as they are asked for.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h, w, 3), as ``check_image_stack`` accepts
    max_pixels : int
        Pixels (h * w per image) in a chunk; at least one image.

    Returns
    -------
    shape : tuple
        The shape of ``check_image_stack(images)``.
    chunks : iterator of (start, chunk)
        ``chunk`` is ``check_image_stack(images)[start:start + len(chunk)]``, float64 in [0, 1].
    """
    stack, tall = _stack_view(images, name)
    divisor = _image_divisor(tall, name)
    max_pixels = check_positive_int(max_pixels, "max_pixels")
    n, h, w = stack.shape[:3]
    step = max(1, max_pixels // (h * w))

    def chunks():
        for start in range(0, n, step):
            yield start, _squeeze_gray(_unit_float(stack[start:start + step], divisor))

    return (stack.shape if stack.shape[3] == 3 else stack.shape[:3]), chunks()


def _check_magnitude(X, name, max_abs=MAX_ABS):
    """Refuse finite values so large that squares or products of sums would overflow float64."""
    if X.size and X.dtype.kind == "f":
        # Two reductions instead of np.abs(X): no copy of X.
        largest = max(float(X.max()), -float(X.min()))
        if largest > max_abs:
            raise ValueError(
                f"{name} holds values as large as {largest:.3g} in magnitude: beyond {max_abs:.0e} "
                f"squares and products overflow float64. Rescale {name} (divide it by its largest "
                f"absolute value, for instance)")


def check_real_array(array, name, ndim=None, min_size=1, allow_negative=True, max_abs=None):
    """Return ``array`` as a finite float64 array, refusing what would be silently misread.

    Complex (the imaginary part would be dropped), object, string and bool arrays raise a
    ``TypeError``; the wrong number of dimensions (``ndim``: an int or a tuple of ints), fewer
    than ``min_size`` entries, NaN, infinity, magnitudes beyond ``max_abs`` (for a function that
    cannot compute with them; ``MAX_ABS`` is the usual bound) and (with ``allow_negative=False``)
    negative entries raise a ``ValueError``. Each message names ``name``.
    """
    if sparse.issparse(array):
        raise TypeError(f"{name} is a sparse {type(array).__name__}: pass a dense array")
    try:
        array = np.asarray(array)
    except (TypeError, ValueError) as exc:       # ragged nested lists
        raise ValueError(f"{name} must be a rectangular numeric array: {exc}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {array.dtype}"
                        + (" (complex: the imaginary part would be lost)" if array.dtype.kind == "c" else ""))
    array = array.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} dimension(s), "
                             f"got shape {array.shape}")
    if array.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} value(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinity")
    if max_abs is not None:
        _check_magnitude(array, name, max_abs)
    if not allow_negative and np.any(array < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {array.min()!r}")
    return array


def check_number(value, name, minimum=None, maximum=None, strict=False, finite=True):
    """Return a real number ``value`` as a Python ``float``, or raise an error naming ``name``.

    Strings, bools, complex numbers and arrays raise a ``TypeError`` (no silent ``float("2")``);
    NaN, infinity (unless ``finite=False``) and values outside ``[minimum, maximum]`` (``minimum``
    excluded with ``strict=True``) raise a ``ValueError``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:                       # an int beyond float range, such as 10**400
        raise ValueError(f"{name} is too large for a float: an integer of "
                         f"{len(str(abs(int(value))))} digits") from None
    if np.isnan(value) or (finite and not np.isfinite(value)):
        raise ValueError(f"{name} must be a finite number, got {name}={value}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, got {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {name}={value}")
    return value


def check_shape(shape, name="shape", minimum=1):
    """Return the first two entries of an image shape as a pair of Python ints >= ``minimum``."""
    try:
        rows, cols = tuple(shape)[:2]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a (rows, cols) pair of integers, got {shape!r}") from None
    return (check_positive_int(rows, f"{name}[0]", minimum=minimum),
            check_positive_int(cols, f"{name}[1]", minimum=minimum))


def as_real_array(array, name):
    """``array`` as float64, with only the checks that cost no pass over the data.

    For functions that run inside loops (they check the result instead): complex, object, string
    and sparse input raise a ``TypeError`` and ragged nested lists a ``ValueError``, naming ``name``,
    instead of a ComplexWarning and a silently dropped imaginary part.
    """
    if sparse.issparse(array):
        raise TypeError(f"{name} is a sparse {type(array).__name__}: pass a dense array")
    try:
        array = np.asarray(array)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a rectangular numeric array: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    return array.astype(np.float64, copy=False)
