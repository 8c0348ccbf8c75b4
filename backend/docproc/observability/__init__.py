"""Seeing the service work: health and readiness, Prometheus metrics, JSON logs, heartbeats."""
