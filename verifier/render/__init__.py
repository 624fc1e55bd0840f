"""Renderers: each turns a VerificationResult into one output format."""
