"""Teaching helpers: show a tested function's source, and check a student's exercise.

Every exercise in the lessons ends with a ``check_*`` call. Those functions are thin wrappers
around :func:`check_function`, which runs the student's function and a reference on the same
fixed inputs and returns a :class:`CheckResult` (truthy when correct) whose text says
"correct" or gives a hint.
"""
import copy
import inspect

import numpy as np

__all__ = ["show_source", "CheckResult", "check_function"]


def show_source(obj):
    """Display the source of a function or class, highlighted, so one implementation is both
    tested and read in the lesson.

    Returns the ``IPython.display.Code`` object (a notebook shows it; ``str()`` gives the text).
    """
    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")


class CheckResult:
    """The outcome of an exercise check: ``bool(result)`` tells whether it passed."""

    def __init__(self, passed, message):
        self.passed = bool(passed)
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.message)


def _summary(value):
    if isinstance(value, (tuple, list)) and value and not np.isscalar(value[0]):
        return "(" + ", ".join(_summary(v) for v in value) + ")"
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged: describe it rather than crash the check
        return f"{type(value).__name__} of length {len(value)}"
    if arr.size <= 8:
        return np.array2string(arr, precision=4) if arr.ndim else repr(value)
    return f"array of shape {arr.shape}"


def _matches(got, expected, rtol, atol):
    if isinstance(expected, tuple):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(_matches(g, e, rtol, atol) for g, e in zip(got, expected)))
    try:
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
    except Exception:
        return got == expected
    if got_arr.shape != exp_arr.shape:
        return False
    if np.issubdtype(exp_arr.dtype, np.number) and np.issubdtype(got_arr.dtype, np.number):
        return bool(np.allclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=True))
    return bool(np.array_equal(got_arr, exp_arr))


def check_function(user_fn, reference_fn, cases, *, name, hint, rtol=1e-7, atol=1e-9, compare=None):
    """Compare ``user_fn`` with ``reference_fn`` on every case of ``cases``.

    Parameters
    ----------
    user_fn, reference_fn : callable
    cases : list of tuple
        Positional arguments for one call each (deep-copied, so an in-place edit by the student
        cannot change the reference's input).
    name : str
        What the student wrote ("your assign step"), for the message.
    hint : str
        Printed when a case fails.
    compare : callable(got, expected) -> bool, optional
        Replaces the default comparison (arrays close to ``rtol``/``atol``, tuples element-wise),
        e.g. to accept labels equal up to a permutation.

    Returns
    -------
    CheckResult
    """
    if not callable(user_fn):
        return CheckResult(False, f"Not yet: pass your function itself, got {user_fn!r}.")
    for i, args in enumerate(cases):
        expected = reference_fn(*copy.deepcopy(args))
        try:
            got = user_fn(*copy.deepcopy(args))
        except NotImplementedError:
            return CheckResult(False, f"Not yet: {name} still raises NotImplementedError. "
                                      f"Write it, run its cell, then this check again. Hint: {hint}")
        except Exception as exc:  # the student's code: report, never crash the lesson
            return CheckResult(False, f"Not yet: {name} raised {type(exc).__name__}: {exc} "
                                      f"on test case {i + 1}. Hint: {hint}")
        ok = compare(got, expected) if compare is not None else _matches(got, expected, rtol, atol)
        if not ok:
            return CheckResult(False, f"Not yet: on test case {i + 1} {name} returned "
                                      f"{_summary(got)}, expected {_summary(expected)}. Hint: {hint}")
    return CheckResult(True, f"Correct: {name} matches the reference on all {len(cases)} test cases.")
