"""Shindan enterprise diagnoses: consultants, checklists, statements and ratios, reports."""
