"""Tests of the comment sources (Instagram harvest, file imports).

A package so that its conftest does not shadow ``tests/conftest.py`` (both
would otherwise be imported as the module ``conftest``).
"""
