"""The pipeline: plain typed Python, no Celery or FastAPI.

`run()` is the one entry point the CLI, the worker and the tests call.
"""

from docproc.pipeline.runner import DOCUMENT_TYPES, PipelineLimits, run

__all__ = ["DOCUMENT_TYPES", "PipelineLimits", "run"]
