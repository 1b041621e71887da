"""Scoring of Thai × Japanese pairs, match proposals, introductions; Celery tasks."""
