"""Teaching helpers: show a tested function's source, and the machinery of the exercises.

**Exercises.** Each exercise of a lesson is an :class:`Exercise`, declared once in the lesson's
module of :mod:`lessons_src.exercises`, which turns it into three public functions:

- ``check_x(f)`` runs the student's function ``f`` and a reference on the same fixed
  :class:`Case` inputs and returns a :class:`CheckResult` (truthy when right). A wrong answer is
  diagnosed: a catalogued :class:`Mistake` (a wrong function written as students write it, run
  on the same case) gets its own message; otherwise the message says where an array first
  differs, the largest difference and at which index, the shapes only when they differ, and
  which case failed. An exception or a malformed return (None, NaN, a ragged tuple, a wrong
  type or shape) is "Not yet" with what went wrong: the checker itself never raises.
- ``hint_x()`` / ``hint_x(2)`` give a nudge, then a stronger one (only when asked).
- ``solution_x()`` shows the solution, read from the teacher's edition.

**Editions.** The teacher's edition of a lesson is its source ``lessons/NN_name.py``: every
exercise's solution is written once, in the cell where the student writes it, between nbgrader's
``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers, and its check cell asserts the check
between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` (cells carry nbgrader metadata,
grade ids ``NN_x`` and ``NN_x_check``), so a teacher can hand out and autograde the lessons with
nbgrader. :func:`student_edition` strips both with nbgrader's own ``ClearSolutions`` and
``ClearHiddenTests``; :func:`write_student_notebook` (``make notebooks``) writes the student
edition, keeping the stored outputs of unchanged cells. The committed notebooks are that
edition.
"""
import argparse
import copy
import dataclasses
import inspect
import pathlib
import re
import textwrap
from typing import Callable

import numpy as np

__all__ = [
    "show_source",
    "CheckResult",
    "Advice",
    "Case",
    "Mistake",
    "Exercise",
    "solution_source",
    "student_edition",
    "write_student_notebook",
]

LESSONS_DIR = pathlib.Path(__file__).resolve().parents[1] / "lessons"
"""Where the teacher's edition (the lesson sources) lives in a checkout of the repository."""

WIDTH = 92
"""Messages and hints are wrapped to this many characters, at word boundaries."""


SOURCE_OPEN_LINES = 30
"""Sources up to this many lines are shown open; longer ones start collapsed (a click opens them)."""


class Source:
    """A function's source as a lesson shows it: highlighted, decorators left out, and collapsed
    behind a one-line summary when it is long.

    ``str()`` (and ``text/plain``, what nbval compares) is the plain source; JupyterLab and the
    static site render the HTML.
    """

    def __init__(self, name, text, collapsed):
        self.name = name
        self.text = text
        self.collapsed = collapsed

    def __str__(self):
        return self.text

    def __repr__(self):
        return self.text

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.text)

    def _repr_html_(self):
        from IPython.display import Code

        code = Code(self.text, language="python")._repr_html_()
        if not self.collapsed:
            return code
        n_lines = self.text.count("\n") + 1
        return (f"<details><summary>source of <code>{self.name}</code> ({n_lines} lines): "
                f"click to open</summary>{code}</details>")


def show_source(obj, collapsed=None):
    """Show the source of a function or class, highlighted, so one implementation is both tested
    and read in the lesson.

    Decorator lines are left out (they are machinery, not the algorithm). Sources longer than
    :data:`SOURCE_OPEN_LINES` lines start collapsed unless ``collapsed=False``.

    Parameters
    ----------
    obj : function or class
    collapsed : bool, optional
        Force the source open (False) or collapsed (True).

    Returns
    -------
    Source
        A notebook shows it; ``str()`` gives the text.
    """
    lines = inspect.getsource(obj).splitlines()
    while lines and lines[0].lstrip().startswith("@"):
        lines.pop(0)
    text = textwrap.dedent("\n".join(lines))
    if collapsed is None:
        collapsed = len(lines) > SOURCE_OPEN_LINES
    return Source(getattr(obj, "__qualname__", repr(obj)), text, bool(collapsed))


def _wrap(text, width=WIDTH):
    """Wrap at word boundaries, never inside a `code span` (its spaces are protected)."""
    protected = re.sub(r"`[^`]*`", lambda m: m.group().replace(" ", "\u00a0"), text)
    return textwrap.fill(protected, width=width, break_long_words=False,
                         break_on_hyphens=False).replace("\u00a0", " ")


class Advice:
    """A short paragraph for the student (a hint, or why a solution is missing), shown wrapped at
    word boundaries. ``str()`` gives the wrapped text."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return _wrap(self.text)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


class CheckResult(Advice):
    """The outcome of an exercise check: ``bool(result)`` tells whether it passed.

    Attributes
    ----------
    passed : bool
    message : str
        "Correct: ..." or "Not yet ...: ..." (shown wrapped).
    mistake : str or None
        The name of the catalogued :class:`Mistake` recognised, if any.
    case : int or None
        The 1-based number of the test case that failed, if any.
    """

    def __init__(self, passed, message, mistake=None, case=None):
        super().__init__(message)
        self.passed, self.message, self.mistake, self.case = bool(passed), message, mistake, case

    def __bool__(self):
        return self.passed


@dataclasses.dataclass(frozen=True)
class Case:
    """One test input of an exercise.

    Attributes
    ----------
    args : tuple or callable() -> tuple
        The positional arguments of one call. A tuple is deep-copied for every call (a student's
        in-place edit cannot reach the reference); a callable makes fresh arguments (e.g. a
        generator that can be read only once).
    label : str
        What this case is, for the messages ("K = 1, a single centre").
    """

    args: object
    label: str

    def make(self):
        """Fresh arguments for one call."""
        return tuple(self.args()) if callable(self.args) else copy.deepcopy(tuple(self.args))


@dataclasses.dataclass(frozen=True)
class Mistake:
    """A mistake students really make, recognised by what it returns.

    Attributes
    ----------
    name : str
        A short identifier ("argmax"), reported as :attr:`CheckResult.mistake`.
    wrong : callable
        The mistaken function, with the exercise's signature. When a student's answer is wrong on
        a case, ``wrong`` runs on the same case; equal results mean this mistake.
    message : str
        What to tell the student.
    """

    name: str
    wrong: Callable
    message: str


def _plural(count, word):
    return f"{count} {word}" + ("" if count == 1 else "s")


def _format_number(x):
    x = x.item() if isinstance(x, np.generic) else x
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return f"{x:.1f}"
    return f"{x:.6g}" if isinstance(x, float) else repr(x)


def _why_not_finite(value):
    if np.isnan(value):
        return "(NaN comes from an invalid operation: 0/0, or a log, sqrt or arccos outside its domain)"
    return "(an infinity: a division by zero?)"


def _format_index(index):
    return str(index[0]) if len(index) == 1 else str(tuple(int(i) for i in index))


def _as_array(value):
    """A numeric array, or None when ``value`` is not one (ragged, strings, objects, None)."""
    if value is None or isinstance(value, (str, bytes, dict, set)) or inspect.isgenerator(value):
        return None
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged lists, or objects whose __array__ fails
        return None
    if array.dtype.kind not in "biuf":
        return None
    return array



def _describe(value):
    """What a returned value is, in a few words."""
    if value is None:
        return "None"
    if inspect.isgenerator(value):
        return "a generator"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, (tuple, list)):
        kind = type(value).__name__
        return f"a {kind} of {_plural(len(value), 'value')}"
    array = _as_array(value)
    if array is not None and array.shape == ():
        return _format_number(array.item())
    if array is not None:
        return f"an array of shape {array.shape}"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} (not numbers)"
    return f"a {type(value).__name__}"


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise: its reference, test cases, catalogue of mistakes and two hints.

    Attributes
    ----------
    name : str
        ``check_<name>``, ``hint_<name>`` and ``solution_<name>`` are its public functions; the
        teacher's edition has the solution cell with nbgrader grade id ``<lesson>_<name>``.
    lesson : str
        The lesson number, ``"01"`` to ``"10"``.
    reference : callable
        Returns the right answer for a case's arguments.
    cases : callable() -> list of Case
        The test inputs (built on first use, so importing a lesson's exercises stays cheap).
    hints : tuple of str
        A nudge, then a stronger hint. Neither gives the code away.
    mistakes : tuple of Mistake
        The catalogue, tried in order on the first case the answer gets wrong.
    returns : str
        What the function returns ("the integer array of labels, shape (n_samples,)"), for the
        messages about malformed returns.
    parts : tuple of str
        Names of the parts when the answer is a tuple (``("a", "b")``).
    rtol, atol : float
        Tolerances of the comparison of numbers.
    compare : callable(got, expected) -> bool, optional
        Replaces the default comparison (e.g. eigenvectors equal up to their sign).
    on_error : str
        Advice added when the student's function raises.
    """

    name: str
    lesson: str
    reference: Callable
    cases: Callable
    hints: tuple
    mistakes: tuple = ()
    returns: str = ""
    parts: tuple = ()
    rtol: float = 1e-7
    atol: float = 1e-9
    compare: Callable = None
    on_error: str = ""

    @property
    def grade_id(self):
        """The nbgrader grade id of the solution cell in the teacher's edition."""
        return f"{self.lesson}_{self.name}"

    # -------------------------------------------------------------------------- comparison
    def _same(self, got, expected):
        """True when ``got`` is the right answer ``expected`` (never raises)."""
        try:
            if self.compare is not None:
                return bool(self.compare(got, expected))
            return self._close(got, expected)
        except Exception:  # noqa: BLE001 - whatever the student returned, the check goes on
            return False

    def _close(self, got, expected):
        if isinstance(expected, tuple):
            return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                    and all(self._close(g, e) for g, e in zip(got, expected)))
        if isinstance(got, (tuple, list)) and np.ndim(expected) == 0:
            return False
        got_array, expected_array = _as_array(got), np.asarray(expected)
        if got_array is None or got_array.shape != expected_array.shape:
            return False
        with np.errstate(all="ignore"):
            return bool(np.allclose(got_array, expected_array, rtol=self.rtol, atol=self.atol,
                                    equal_nan=True))

    # -------------------------------------------------------------------------- diagnosis
    def _malformed(self, got, expected, part=""):
        """Why ``got`` cannot be compared with ``expected`` (type, shape, NaN), or None."""
        prefix = f"part {part} of the answer is " if part else "returned "
        if got is None:
            return prefix + "None: a function without a `return` statement returns None" + (
                f"; it should return {self.returns}" if self.returns and not part else "")
        if inspect.isgenerator(got):
            return prefix + "a generator: return the values themselves (an array or a number)"
        if isinstance(expected, tuple):
            names = ", ".join(self.parts) if self.parts else ""
            want = f"a tuple of {len(expected)} values" + (f" ({names})" if names else "")
            if not isinstance(got, (tuple, list)):
                return f"returned {_describe(got)}, expected {want}"
            if len(got) != len(expected):
                return f"returned {_plural(len(got), 'value')}, expected {want}"
            for i, (g, e) in enumerate(zip(got, expected)):
                name = self.parts[i] if i < len(self.parts) else str(i + 1)
                problem = self._malformed(g, e, part=name)
                if problem:
                    return problem
            return None
        expected_array = np.asarray(expected)
        got_array = _as_array(got)
        if expected_array.shape == ():
            if got_array is None or got_array.shape != ():
                return prefix + f"{_describe(got)}, expected a single number"
            if not np.isfinite(got_array) and np.isfinite(expected_array):
                return prefix + f"{_format_number(got_array.item())}, expected a finite number " \
                    + _why_not_finite(got_array.item())
            return None
        if got_array is None:
            if isinstance(got, (tuple, list)):
                return prefix + f"{_describe(got)} that do not form an array of numbers " \
                    f"(different lengths or types), expected an array of shape {expected_array.shape}"
            return prefix + f"{_describe(got)}, expected an array of shape {expected_array.shape}"
        if got_array.shape != expected_array.shape:
            return prefix + f"an array of shape {got_array.shape}, expected shape " \
                f"{expected_array.shape}"
        bad = ~np.isfinite(got_array.astype(float)) & np.isfinite(expected_array.astype(float))
        if bad.any():
            index = tuple(np.argwhere(bad)[0])
            return prefix + f"{_format_number(got_array[index].item())} at index " \
                f"{_format_index(index)}, expected {_format_number(expected_array[index].item())} " \
                + _why_not_finite(got_array[index].item())
        return None

    def _difference(self, got, expected, part=""):
        """Where a well-formed ``got`` differs from ``expected``."""
        if isinstance(expected, tuple):
            for i, (g, e) in enumerate(zip(got, expected)):
                if not self._close(g, e):
                    name = self.parts[i] if i < len(self.parts) else str(i + 1)
                    return self._difference(g, e, part=name)
            return "returned a different answer"
        who = f"part {part} of the answer" if part else "returned"
        got_array, expected_array = np.asarray(got), np.asarray(expected)
        if expected_array.shape == ():
            verb = "is" if part else ""
            return f"{who} {verb} {_format_number(got_array.item())}, expected " \
                f"{_format_number(expected_array.item())}".replace("  ", " ")
        with np.errstate(all="ignore"):
            wrong = ~np.isclose(got_array, expected_array, rtol=self.rtol, atol=self.atol)
        first = tuple(np.argwhere(wrong)[0])
        text = (f"{who}{': ' if part else ' '}an array that differs from the expected one at "
                f"{wrong.sum()} of {wrong.size} entries; the first at index {_format_index(first)} "
                f"(got {_format_number(got_array[first].item())}, expected "
                f"{_format_number(expected_array[first].item())})")
        if expected_array.dtype.kind == "f" or got_array.dtype.kind == "f":
            gap = np.abs(got_array.astype(float) - expected_array.astype(float))
            largest = np.unravel_index(int(np.argmax(np.where(wrong, gap, -1.0))), gap.shape)
            if largest != first:
                text += (f"; the largest difference is {_format_number(float(gap[largest]))} at "
                         f"index {_format_index(largest)} (got "
                         f"{_format_number(got_array[largest].item())}, expected "
                         f"{_format_number(expected_array[largest].item())})")
        return text

    def _recognise(self, function, cases, failed, got):
        """The catalogued mistake that explains ``got`` on case ``failed``, or None.

        A mistake matches when its wrong function returns the same on that case. When several
        do, the first that also agrees with the student's function on every other case wins.
        """
        candidates, expected = [], self.reference(*cases[failed].make())
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    theirs = mistake.wrong(*cases[failed].make())
            except Exception:  # noqa: BLE001 - a mistake may not run on every case
                continue
            if self._same(got, theirs) and not self._same(theirs, expected):
                candidates.append(mistake)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        for mistake in candidates:
            if all(self._agree(function, mistake.wrong, case) for case in cases):
                return mistake
        return candidates[0]

    def _agree(self, function, wrong, case):
        try:
            with np.errstate(all="ignore"):
                return self._same(function(*case.make()), wrong(*case.make()))
        except Exception:  # noqa: BLE001
            return False

    # -------------------------------------------------------------------------- the three functions
    def check(self, function):
        """Run ``function`` on every case; see the module docstring. Returns a CheckResult."""
        if not callable(function):
            return CheckResult(False, f"Not yet: pass your function itself, as in "
                                      f"`check_{self.name}(my_function)`, not {_describe(function)}.")
        name = getattr(function, "__name__", "")
        name = name if name.isidentifier() else "your function"
        ask = f" For a nudge, run `hint_{self.name}()`."
        cases = self.cases()
        for index, case in enumerate(cases):
            where = f"Not yet (test case {index + 1} of {len(cases)}: {case.label}): "
            expected = self.reference(*case.make())
            try:
                with np.errstate(all="ignore"):
                    got = function(*case.make())
            except NotImplementedError:
                return CheckResult(False, f"Not yet: {name} still raises NotImplementedError. "
                                          "Write its body in the cell above, run that cell, then "
                                          "run this check again.")
            except Exception as error:  # noqa: BLE001 - the student's code: report, never crash
                detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
                text = f"{where}{name} raised {type(error).__name__}" + (f": {detail}" if detail else "")
                text = text.rstrip(".") + "."
                if self.on_error:
                    text += " " + self.on_error
                return CheckResult(False, text + ask, case=index + 1)
            if self._same(got, expected):
                continue
            mistake = self._recognise(function, cases, index, got)
            if mistake is not None:
                return CheckResult(False, where + mistake.message + ask, mistake=mistake.name,
                                   case=index + 1)
            try:
                problem = self._malformed(got, expected) or self._difference(got, expected)
            except Exception:  # noqa: BLE001 - a value no description foresaw: still no crash
                problem = f"returned {_describe(got)}, not {self.returns or 'the right answer'}"
            text = f"{where}{name} {problem}"
            text += "" if text.endswith(".") else "."
            return CheckResult(False, text + ask, case=index + 1)
        return CheckResult(True, f"Correct: {name} gives the right answer on all "
                                 f"{_plural(len(cases), 'test case')}.")

    def hint(self, level=1):
        """Hint number ``level`` (1: a nudge, 2: a stronger one), as :class:`Advice`."""
        if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or level < 1:
            raise ValueError(f"level must be 1 (a nudge) or 2 (a stronger hint), got level={level!r}")
        if level > len(self.hints):
            return Advice(f"There are {len(self.hints)} hints for this exercise. "
                          f"`solution_{self.name}()` shows a solution.")
        return Advice(f"Hint {level} of {len(self.hints)}: {self.hints[level - 1]}")

    def solution(self):
        """The solution from the teacher's edition (highlighted code), or Advice if absent."""
        from IPython.display import Code

        try:
            return Code(solution_source(self.lesson, self.grade_id), language="python")
        except (FileNotFoundError, LookupError) as error:
            return Advice(f"No solution here: {error}")

    def functions(self):
        """``(check_<name>, hint_<name>, solution_<name>)``, documented, for a module to export."""
        def check(function):
            return self.check(function)

        def hint(level=1):
            return self.hint(level)

        def solution():
            return self.solution()

        task = (self.reference.__doc__ or "").strip().splitlines()[0] if self.reference.__doc__ \
            else self.name
        check.__doc__ = (f"Check the student's function for exercise {self.name!r} of lesson "
                         f"{self.lesson} ({task}).\n\nReturns a CheckResult: truthy when right, "
                         "otherwise a message saying what is wrong and on which test case.")
        hint.__doc__ = (f"A hint for exercise {self.name!r}: level 1 is a nudge, 2 a stronger "
                        "hint (Advice, shown as wrapped text).")
        solution.__doc__ = (f"The solution of exercise {self.name!r}, from the teacher's edition "
                            f"(the lesson source lessons/{self.lesson}_*.py).")
        for function, prefix in ((check, "check"), (hint, "hint"), (solution, "solution")):
            function.__name__ = function.__qualname__ = f"{prefix}_{self.name}"
        return check, hint, solution


# ------------------------------------------------------------------------------ editions
def _lesson_source(lesson):
    matches = sorted(LESSONS_DIR.glob(f"{lesson}_*.py"))
    if not matches:
        raise FileNotFoundError(f"the teacher's edition lessons/{lesson}_*.py is not in this "
                                f"installation (looked in {LESSONS_DIR})")
    return matches[0]


def solution_source(lesson, grade_id):
    """The code of the solution cell ``grade_id`` of lesson ``lesson``, markers removed.

    Parameters
    ----------
    lesson : str
        ``"01"`` to ``"10"``.
    grade_id : str
        The nbgrader grade id of the solution cell (``"01_assign"``).

    Returns
    -------
    source : str

    Raises
    ------
    FileNotFoundError
        When the lesson sources are not installed (a package installed without the repository).
    LookupError
        When the lesson has no solution cell ``grade_id``.
    """
    import jupytext

    notebook = jupytext.read(_lesson_source(lesson), fmt="py:percent")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            lines = [line for line in cell.source.splitlines()
                     if not re.match(r"\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)", line)]
            return "\n".join(lines)
    raise LookupError(f"lessons/{_lesson_source(lesson).name} has no cell with grade id {grade_id!r}")


def student_edition(notebook):
    """The student's edition of a teacher's notebook: solutions and hidden tests removed.

    nbgrader's own preprocessors do it (``ClearSolutions``: each ``### BEGIN SOLUTION`` ...
    ``### END SOLUTION`` region becomes ``# YOUR CODE HERE`` / ``raise NotImplementedError()``;
    ``ClearHiddenTests`` drops the ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``
    regions), exactly as ``nbgrader generate_assignment`` does. Cells and metadata are otherwise
    unchanged.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The teacher's edition (e.g. ``jupytext.read("lessons/01_....py")``); not modified.

    Returns
    -------
    nbformat.NotebookNode
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    student = copy.deepcopy(notebook)
    student, resources = ClearSolutions().preprocess(student, {})
    student, _ = ClearHiddenTests().preprocess(student, resources)
    return student


def write_student_notebook(source, target):
    """Write the student's edition of lesson ``source`` to ``target`` (``make notebooks``).

    Like ``jupytext --update --to ipynb``: the stored outputs of the cells whose code did not
    change are kept; the file is rewritten only when its text changes.

    Parameters
    ----------
    source : path-like
        The teacher's edition, ``lessons/NN_name.py`` (jupytext percent format).
    target : path-like
        ``notebooks/NN_name.ipynb``.

    Returns
    -------
    changed : bool
        Whether ``target`` was written.
    """
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    target = pathlib.Path(target)
    notebook = student_edition(jupytext.read(source, fmt="py:percent"))
    if target.exists():
        notebook = combine_inputs_with_outputs(notebook, jupytext.read(target), fmt="py:percent")
    text = jupytext.writes(notebook, fmt="ipynb")
    text = text if text.endswith("\n") else text + "\n"
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.write_text(text, encoding="utf-8")
    return True


def main(argv=None):
    """``python -m lessons_src.teaching SOURCE... --to DIR``: write the student editions."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("sources", nargs="+", type=pathlib.Path, help="lessons/NN_name.py files")
    parser.add_argument("--to", type=pathlib.Path, required=True, help="the notebooks folder")
    arguments = parser.parse_args(argv)
    for source in arguments.sources:
        target = arguments.to / f"{source.stem}.ipynb"
        if write_student_notebook(source, target):
            print(f"wrote {target} (student's edition of {source})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
