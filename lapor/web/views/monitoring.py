"""Monitoring and evaluation pages for leaders, overseers and verifiers (scoped by role)."""
