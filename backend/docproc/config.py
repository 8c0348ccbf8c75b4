"""The one settings object, read once from the environment or `backend/.env`.

The Celery names (`REDIS_URL`, `CELERY_BROKER_URL`, `CELERY_RESULT_BACKEND`) are the setup guide's;
everything else carries the `DOCPROC_` prefix. `get_settings()` validates at start-up and a bad
value stops the process with one clear line (see `cli.py`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

BACKEND_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DOCPROC_",
        env_file=BACKEND_DIR / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # The setup guide's names, without prefix.
    redis_url: str = Field(
        "redis://localhost:6379/0", validation_alias=AliasChoices("REDIS_URL", "DOCPROC_REDIS_URL")
    )
    celery_broker_url: str | None = Field(
        None, validation_alias=AliasChoices("CELERY_BROKER_URL", "DOCPROC_CELERY_BROKER_URL")
    )
    celery_result_backend: str | None = Field(
        None,
        validation_alias=AliasChoices("CELERY_RESULT_BACKEND", "DOCPROC_CELERY_RESULT_BACKEND"),
    )

    # Uploads and storage.
    max_upload_bytes: int = Field(50 * 1024 * 1024, gt=0)
    storage_backend: Literal["redis", "directory"] = "redis"
    storage_dir: Path = BACKEND_DIR / "data" / "uploads"
    upload_ttl_seconds: int = Field(7 * 24 * 3600, gt=0)
    keep_uploads: bool = False
    result_ttl: int = Field(7 * 24 * 3600, gt=0, description="seconds a finished result is kept")

    # Limits per job.
    max_pages: int = Field(500, gt=0)
    max_image_pixels: int = Field(120_000_000, gt=0)
    task_soft_time_limit: int = Field(600, gt=0)
    task_time_limit: int = Field(660, gt=0)
    max_deliveries: int = Field(3, gt=0, description="a job that kills its worker this often fails")
    max_retries: int = Field(3, ge=0, description="retries of a transient error, with backoff")
    broker_visibility_timeout: int | None = Field(
        None, gt=0, description="seconds; default: the hard time limit + 300"
    )
    test_page_delay: float = Field(
        0.0, ge=0, description="testing only: seconds a worker sleeps per page to make jobs slow"
    )

    # Workers.
    worker_prefetch_multiplier: int = Field(1, gt=0)
    worker_max_tasks_per_child: int | None = Field(None, gt=0)
    worker_max_memory_per_child: int | None = Field(None, gt=0, description="KiB")
    worker_memory_limit: int = Field(
        4096, ge=0, description="MiB of address space per pool process (a decompression bomb "
        "ends its process, not the host); 0 = no limit"
    )
    worker_idle_priority: bool = Field(
        True, description="pool processes run in SCHED_IDLE (Linux): documents only use CPU "
        "the API and Redis don't want"
    )

    # API.
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: SecretStr | None = None

    # Trust (security, reliability, observability): see docs/operations.md.
    require_api_key: bool = Field(
        False, description="refuse requests without a key even when DOCPROC_API_KEYS is empty"
    )
    rate_limit: int = Field(0, ge=0, description="requests per key per window; 0 = off")
    rate_limit_window: int = Field(60, gt=0, description="seconds")
    heartbeat_interval: float = Field(5.0, gt=0, description="seconds between worker heartbeats")
    heartbeat_timeout: float = Field(
        30.0, gt=0, description="seconds without a heartbeat before a job's worker counts as lost"
    )
    webhook_secret: SecretStr | None = Field(
        None, description="HMAC key that signs webhook calls; callback_url needs it"
    )
    webhook_max_retries: int = Field(5, ge=0)
    webhook_timeout: float = Field(10.0, gt=0)
    webhook_allow_private: bool = Field(
        False, description="let callback_url reach loopback/private/link-local addresses (on-prem)"
    )
    log_format: Literal["json", "text"] = "json"
    log_level: str = "INFO"
    sentry_dsn: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SENTRY_DSN", "DOCPROC_SENTRY_DSN")
    )

    # Reports.
    category_rules: Path | None = None

    @property
    def broker_url(self) -> str:
        return self.celery_broker_url or self.redis_url

    @property
    def result_backend(self) -> str:
        return self.celery_result_backend or self.redis_url

    @property
    def visibility_timeout(self) -> int:
        """Seconds before Redis redelivers an unacknowledged task: above the hard time limit."""
        return self.broker_visibility_timeout or self.task_time_limit + 300

    @field_validator("category_rules")
    @classmethod
    def _category_rules_load(cls, path: Path | None) -> Path | None:
        """A bad rules file stops start-up instead of failing every job."""
        if path is not None:
            from docproc.errors import CategoryRulesError
            from docproc.pipeline.reports.categories import load_category_rules

            try:
                load_category_rules(path)
            except CategoryRulesError as exc:
                raise ValueError(exc.message) from None
        return path

    @model_validator(mode="after")
    def _time_limits_in_order(self) -> Settings:
        if self.task_soft_time_limit >= self.task_time_limit:
            raise ValueError(
                "DOCPROC_TASK_SOFT_TIME_LIMIT must be below DOCPROC_TASK_TIME_LIMIT "
                f"({self.task_soft_time_limit} >= {self.task_time_limit})"
            )
        if (
            self.broker_visibility_timeout is not None
            and self.broker_visibility_timeout <= self.task_time_limit
        ):
            raise ValueError(
                "DOCPROC_BROKER_VISIBILITY_TIMEOUT must be above DOCPROC_TASK_TIME_LIMIT "
                f"({self.broker_visibility_timeout} <= {self.task_time_limit})"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read and validated once per process."""
    return Settings()


def settings_or_exit() -> Settings:
    """The settings, or exit with one clear line naming what is wrong (for start-up scripts)."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{_env_name(err['loc'])}: {err['msg']}" if err["loc"] else err["msg"]
            for err in exc.errors()
        )
        raise SystemExit(f"docproc: invalid settings: {problems}") from None


def _env_name(loc: tuple[int | str, ...]) -> str:
    field = Settings.model_fields.get(str(loc[0]))
    alias = field.validation_alias if field else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"DOCPROC_{str(loc[0]).upper()}"
