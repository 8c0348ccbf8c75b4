"""The reliability settings the worker runs with come from Settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from docproc.config import Settings
from docproc.jobs.celery_app import celery_config


def test_reliability_settings() -> None:
    settings = Settings(
        task_soft_time_limit=100, task_time_limit=120, worker_max_tasks_per_child=50,
        worker_max_memory_per_child=400_000,
    )
    config = celery_config(settings)
    assert config["task_acks_late"] is True
    assert config["task_reject_on_worker_lost"] is True
    assert config["worker_prefetch_multiplier"] == 1
    assert (config["task_soft_time_limit"], config["task_time_limit"]) == (100, 120)
    assert config["broker_transport_options"]["visibility_timeout"] > 120
    assert config["worker_max_tasks_per_child"] == 50
    assert config["worker_max_memory_per_child"] == 400_000
    assert config["task_serializer"] == "json" and config["accept_content"] == ["json"]


def test_visibility_timeout_must_lie_above_the_hard_limit() -> None:
    with pytest.raises(ValidationError, match="VISIBILITY_TIMEOUT"):
        Settings(task_soft_time_limit=10, task_time_limit=20, broker_visibility_timeout=20)
    assert Settings(task_soft_time_limit=10, task_time_limit=20,
                    broker_visibility_timeout=21).visibility_timeout == 21


def test_broker_and_backend_default_to_redis_url() -> None:
    settings = Settings(redis_url="redis://example:6379/3")
    config = celery_config(settings)
    assert config["broker_url"] == config["result_backend"] == "redis://example:6379/3"
