"""Task messages built by Celery and kombu, written to Redis in the submission's own pipeline.

`celery.send_task` costs a broker round trip of its own (a pooled connection, LPUSH, reply) on
top of the round trip that stores the upload and the job record, and it is synchronous, so the
API had to run it in a thread. `TaskPublisher` builds the very message `send_task` would send
(Celery's `as_task_v2`, kombu's serializer, `prepare_message` and the Redis channel's own
`_put`, captured through kombu's publish-batch hook) and hands back the final Redis command, so
the upload, the job record, the metrics counter and the message travel in ONE MULTI/EXEC from
the event loop: a job is stored and queued entirely or not at all. Workers consume it as any
Celery message; nothing else about Celery changes.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from typing import Any

from celery import Celery
from kombu import Connection


class _Collector:
    """Stands in for kombu's `PublishBatch`: records the Redis commands of one publish."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, tuple[Any, ...]]] = []

    def add(self, name: str, *args: Any) -> None:
        self.commands.append((name, args))


class TaskPublisher:
    """Turns `(task name, args, task id)` into the Redis commands that enqueue it."""

    def __init__(self, celery: Celery) -> None:
        self.celery = celery
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._channel: Any = None
        self._producer: Any = None
        self._templates: dict[str, _Template] = {}

    def _ready(self) -> tuple[Any, Any]:
        with self._lock:
            if self._channel is None:
                # A channel object for its (pure) message helpers; opened once, then unused.
                self._connection = self.celery.connection_for_write()
                self._channel = self._connection.default_channel
                self._producer = self.celery.amqp.Producer(self._channel, auto_declare=False)
            return self._channel, self._producer

    def commands(
        self, task_name: str, args: list[Any], task_id: str
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """The Redis commands (normally one LPUSH) that queue `task_name(job_id)`.

        The message is built once per task name through Celery's own path, with a random
        placeholder id; each call then only puts the job id (task id = the only argument) and a
        fresh delivery tag into a copy. This is the "pre-built signature" that saves building
        headers, serialising and encoding per request.
        """
        if args != [task_id]:
            return self.build(task_name, args, task_id)
        template = self._templates.get(task_name)
        if template is None:
            template = self._templates[task_name] = _Template(self, task_name)
        return template.fill(task_id)

    def build(
        self, task_name: str, args: list[Any], task_id: str
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """The commands for any task, built from scratch as `send_task` would."""
        channel, producer = self._ready()
        amqp = self.celery.amqp
        headers, properties, body, _ = amqp.as_task_v2(task_id, task_name, args=args)
        queue = amqp.default_queue
        properties["delivery_mode"] = queue.exchange.delivery_mode or 2
        data, content_type, content_encoding = producer._prepare(
            body, self.celery.conf.task_serializer, None, None, None, headers
        )
        message = channel.prepare_message(
            data, 0, content_type, content_encoding, headers, properties
        )
        # Direct exchange to the default queue: Celery publishes it on the anonymous exchange.
        channel._inplace_augment_message(message, "", queue.name)
        collector = _Collector()
        channel._put(queue.name, message, _publish_batch=collector)
        return collector.commands

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()


class _Template:
    """One task's message, cut at its placeholders (job id, delivery tag, body) once."""

    def __init__(self, publisher: TaskPublisher, task_name: str) -> None:
        job = uuid.uuid4().hex
        [(self.command, (self.queue, raw))] = publisher.build(task_name, [job], job)
        message = json.loads(raw)
        tag = message["properties"]["delivery_tag"]
        self.body_parts = base64.b64decode(message["body"]).decode().split(job)
        message["body"] = _BODY
        # The frame as text between placeholders, and which value goes into each gap.
        pieces = re.split(f"({re.escape(job)}|{re.escape(tag)}|{re.escape(_BODY)})",
                          json.dumps(message))
        self.frame_parts = pieces[0::2]
        self.gaps = [{job: _JOB, tag: _TAG, _BODY: _BODY_GAP}[p] for p in pieces[1::2]]

    def fill(self, job_id: str) -> list[tuple[str, tuple[Any, ...]]]:
        values = {
            _JOB: job_id,
            _TAG: str(uuid.uuid4()),
            _BODY_GAP: base64.b64encode(job_id.join(self.body_parts).encode()).decode(),
        }
        parts = [self.frame_parts[0]]
        for gap, text in zip(self.gaps, self.frame_parts[1:], strict=True):
            parts += (values[gap], text)
        return [(self.command, (self.queue, "".join(parts)))]


_BODY = "@@docproc-body@@"
_JOB, _TAG, _BODY_GAP = range(3)
