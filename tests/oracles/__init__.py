"""References the tests compare rnnquiz with, written once from the courses' equations and
shared by the test files that need them. Each takes the `torch` module as its first argument
(the test's own `pytest.importorskip("torch")`), so importing these never imports torch and
a test file that uses them still collects where torch is missing."""
