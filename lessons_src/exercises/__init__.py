"""The lessons' exercises, one module per lesson: what the student is asked, how an answer is
checked, hints on request and the reference solution.

A lesson imports its own: ``from lessons_src.exercises.kmeans_steps import check_assign``.
The module names follow :mod:`lessons_src.figures` (``kmeans_steps`` is lesson 01, ...).
"""
