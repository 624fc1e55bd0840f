"""Verifying a cohort: many repositories in parallel, with outputs a grader can scan."""
