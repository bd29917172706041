import numpy as np

from lessons_src import teaching, widgets


def _square(x):
    return np.asarray(x) ** 2


def test_check_function_passes_and_fails():
    cases = [(np.arange(3),), (np.array([-1.5, 2.0]),)]
    ok = teaching.check_function(_square, _square, cases, name="f", hint="h")
    assert ok and "Correct" in repr(ok)
    wrong = teaching.check_function(lambda x: np.asarray(x) * 2, _square, cases, name="f", hint="square it")
    assert not wrong and "square it" in repr(wrong) and "test case 2" not in repr(wrong)


def test_check_function_reports_stub_and_exceptions():
    def stub(x):
        raise NotImplementedError

    result = teaching.check_function(stub, _square, [(1,)], name="your f", hint="h")
    assert not result and "NotImplementedError" in repr(result)
    result = teaching.check_function(lambda x: 1 / 0, _square, [(1,)], name="your f", hint="h")
    assert not result and "ZeroDivisionError" in repr(result)
    assert not teaching.check_function(None, _square, [(1,)], name="f", hint="h")


def test_check_function_input_is_protected():
    def mutating(x):
        x[:] = 0
        return x

    data = np.ones(3)
    teaching.check_function(mutating, _square, [(data,)], name="f", hint="h")
    np.testing.assert_array_equal(data, 1)


def test_show_source():
    code = teaching.show_source(_square)
    assert "return np.asarray(x) ** 2" in code.data


def test_slider_factories_update_on_release():
    s = widgets.int_slider(1, 10, 3)
    assert s.value == 3 and s.continuous_update is False
    f = widgets.float_slider(-2, 1, 0.1, log=True)
    assert f.continuous_update is False
    d = widgets.dropdown({"a": 1, "b": 2})
    assert d.value == 1


def test_interactive_figure_calls_draw():
    calls = []
    widgets.interactive_figure(lambda k: calls.append(k), k=widgets.int_slider(1, 5, 2))
    assert calls == [2]


def test_check_function_describes_a_wrong_tuple_of_arrays():
    def reference(x):
        return np.zeros((2, 3)), np.zeros(4)

    def wrong(x):
        return np.ones((2, 3)), np.ones((5, 5))

    result = teaching.check_function(wrong, reference, [(1,)], name="f", hint="h")
    assert not result
    assert "Not yet" in repr(result) and "Hint: h" in repr(result)
