"""The exercise machinery of lessons_src.teaching, on a toy exercise (the lessons' own are tested
in tests/test_exercises.py), and show_source."""
import nbformat
import numpy as np
import pytest

from lessons_src import teaching


def _reference(x):
    """Square every entry."""
    return np.asarray(x, dtype=float) ** 2


TOY = teaching.Exercise(
    name="square", lesson="99", reference=_reference,
    cases=lambda: [teaching.Case((np.arange(3.0),), "three numbers"),
                   teaching.Case((np.array([-1.5, 2.0]),), "a negative number")],
    hints=("Multiply.", "x times x."), returns="an array of squares",
    mistakes=(teaching.Mistake("double", lambda x: 2 * np.asarray(x), "you doubled instead of squaring."),
              teaching.Mistake("absolute", lambda x: np.abs(x) ** 2 * np.sign(x), "you kept the sign.")),
)


def test_check_passes_and_recognises_mistakes():
    ok = TOY.check(_reference)
    assert ok and ok.message == "Correct: _reference gives the right answer on all 2 test cases."
    doubled = TOY.check(lambda x: x + x)
    assert not doubled and doubled.mistake == "double" and doubled.case == 1
    assert doubled.message == ("Not yet (test case 1 of 2: three numbers): you doubled instead of "
                               "squaring. For a nudge, run `hint_square()`.")
    # A mistake only visible on the second case is found there.
    signed = TOY.check(lambda x: np.sign(x) * np.asarray(x) ** 2)
    assert signed.mistake == "absolute" and signed.case == 2
    # Unknown wrong answers: where they differ.
    other = TOY.check(lambda x: np.asarray(x) ** 2 + np.array([0, 0, 3.0])[:len(x)])
    assert other.mistake is None and "first at index 2 (got 7.0, expected 4.0)" in other.message


def test_check_never_raises():
    class Weird:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no array for you")

    for function in [lambda x: Weird(), lambda x: 1 / 0, lambda x: [[1], [2, 3]], lambda x: None,
                     lambda x: "x", lambda x: np.array(["a", "b", "c"])]:
        result = TOY.check(function)
        assert not result and result.message.startswith("Not yet")
    assert not TOY.check("not a function")


def test_stub_and_hints():
    def my_square(x):
        raise NotImplementedError()

    assert TOY.check(my_square).message.startswith("Not yet: my_square still raises NotImplementedError.")
    check, hint, solution = TOY.functions()
    assert check.__name__ == "check_square" and "Square every entry" in check.__doc__
    assert repr(hint()) == "Hint 1 of 2: Multiply." and repr(hint(2)) == "Hint 2 of 2: x times x."
    assert "`solution_square()`" in repr(hint(3))
    with pytest.raises(ValueError, match="level=True"):
        hint(True)
    assert "No solution here" in repr(solution())          # there is no lesson 99


def test_the_input_is_protected():
    def mutating(x):
        result = np.asarray(x, dtype=float) ** 2
        x[:] = 0
        return result

    assert TOY.check(mutating)


def test_results_display_wrapped():
    text = "word " * 60
    advice = teaching.Advice(text)
    assert all(len(line) <= teaching.WIDTH for line in repr(advice).splitlines())
    lines = []
    advice._repr_pretty_(type("P", (), {"text": lambda self, t: lines.append(t)})(), False)
    assert lines == [repr(advice)]


def test_student_edition_strips_solutions_and_hidden_tests():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
                                  metadata={"nbgrader": {"grade": False, "grade_id": "f", "locked": False,
                                                         "schema_version": 3, "solution": True, "task": False}}),
        nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nassert f(1) == 1\n### END HIDDEN TESTS\nf(2)",
                                  metadata={"nbgrader": {"grade": True, "grade_id": "f_check", "locked": True,
                                                         "points": 1, "schema_version": 3, "solution": False,
                                                         "task": False}}),
    ], metadata={"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}})
    student = teaching.student_edition(notebook)
    assert student.cells[0].source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert student.cells[1].source == "f(2)"
    assert "BEGIN SOLUTION" in notebook.cells[0].source          # the teacher's edition is untouched


def test_write_student_notebook_keeps_outputs_of_unchanged_cells(tmp_path):
    source = tmp_path / "lesson.py"
    source.write_text("# %%\nx = 1\nx\n\n# %%\ny = 2\n", encoding="utf-8")
    target = tmp_path / "lesson.ipynb"
    assert teaching.write_student_notebook(source, target)
    notebook = nbformat.read(target, as_version=4)
    notebook.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)]
    nbformat.write(notebook, target)
    source.write_text("# %%\nx = 1\nx\n\n# %%\ny = 3\n", encoding="utf-8")
    assert teaching.write_student_notebook(source, target)
    notebook = nbformat.read(target, as_version=4)
    assert notebook.cells[0].outputs[0]["data"]["text/plain"] == "1" and notebook.cells[1].source == "y = 3"
    assert not teaching.write_student_notebook(source, target)        # nothing changed: not rewritten


def test_show_source():
    code = teaching.show_source(_reference)
    assert "return np.asarray(x, dtype=float) ** 2" in str(code)
    assert not code.collapsed and "<details>" not in code._repr_html_()
    assert "highlight" in code._repr_html_()


def test_show_source_leaves_decorators_out_and_collapses_long_sources():
    import functools

    @functools.lru_cache(maxsize=None)
    def decorated(x):
        return x

    shown = teaching.show_source(decorated)
    assert str(shown).startswith("def decorated(x):")
    long = teaching.show_source(teaching.Exercise)
    assert long.collapsed and long._repr_html_().startswith("<details><summary>source of <code>Exercise</code>")
    assert not teaching.show_source(teaching.Exercise, collapsed=False).collapsed
