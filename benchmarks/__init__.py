"""Speed and size of course_builder: ``python -m benchmarks`` (see benchmarks/README.md).

Timings live here and never in the tests; tests/test_benchmarks.py only checks that the course
generator still produces a course that builds.
"""
