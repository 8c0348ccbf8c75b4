"""Accepting a document: validate cheaply, store it, write the job record, queue the task.

Everything that can reject a request runs before anything is written, so a rejected request
leaves nothing behind. The broker message carries only the job id (which is also the upload's
storage key and the Celery task id).

On the API's path (`submit_async`, when the broker is the Redis that keeps uploads and records)
ONE call to Redis does everything: a Lua script confirms the caller's API key, counts the request
against the rate limit, honours `Idempotency-Key`, then runs the writes that redis-py's own
command methods recorded (upload, job record, metrics counter, and the Celery task message that
`publish.py` builds as Celery would send it). Redis runs a script alone, so the claim of an
idempotency key and the job it names appear together or not at all. The other path (`submit`:
another broker, directory storage, the command line) claims the key first, writes upload and
record in one MULTI/EXEC, then publishes with `send_task`; a failed write gives the claim back.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import hiredis
from celery import Celery
from kombu.exceptions import OperationalError
from redis.asyncio import Redis as AsyncRedis
from redis.commands.core import DataAccessCommands
from redis.exceptions import NoScriptError, RedisError

from docproc.errors import FileTooLarge, IdempotencyConflict, StorageUnavailable
from docproc.jobs.celery_app import TASK_NAME
from docproc.jobs.pipelined import PipelinedConnection
from docproc.jobs.publish import TaskPublisher
from docproc.jobs.services import Services
from docproc.jobs.store import JOB_KEY, as_text
from docproc.jobs.uploads import RedisUploads
from docproc.jobs.webhooks import check_callback_url
from docproc.observability.metrics import count_submitted
from docproc.pipeline.read.pdf import check_page_count, open_pdf
from docproc.pipeline.read.sniff import sniff_media_type
from docproc.pipeline.runner import check_document_type
from docproc.security.admission import Admission, unauthorized
from docproc.security.keys import KEYS_HASH, REVOKED_SET

# Above this size the PDF check runs in a thread instead of on the event loop.
INLINE_CHECK_BYTES = 512 * 1024
IDEMPOTENCY_KEY = "docproc:idempotency:{}:{}"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# pdfium is not thread-safe; the API checks PDFs from a thread pool.
_PDFIUM_LOCK = threading.Lock()

# KEYS: the stored API keys hash, the revoked key ids. ARGV: key digest ('' when keys are off),
# key id, '1' when the key is configured (not stored), rate counter ('' when off), rate limit,
# window, idempotency key ('' when none), its lifetime, job id, job key prefix, then the writes,
# each as its argument count followed by the command and its arguments. Keys written are in
# ARGV: one standalone Redis (as kombu's Redis transport needs anyway). A write that fails stops
# the script before the idempotency claim; only an upload, which expires, can be left behind.
_ACCEPT = """
local digest, configured, rate_key = ARGV[1], ARGV[3], ARGV[4]
if digest ~= '' and (redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1
    or (configured ~= '1' and redis.call('HEXISTS', KEYS[1], digest) == 0)) then
  return {'unauthorized'}
end
if rate_key ~= '' then
  local count = redis.call('INCR', rate_key)
  redis.call('EXPIRE', rate_key, tonumber(ARGV[6]) + 1)
  if count > tonumber(ARGV[5]) then return {'rate_limited'} end
end
local claim = ARGV[7]
if claim ~= '' then
  local earlier = redis.call('GET', claim)
  if earlier and redis.call('EXISTS', ARGV[10] .. earlier) == 1 then return {'earlier', earlier} end
end
local i = 11
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
if claim ~= '' then redis.call('SET', claim, ARGV[9], 'EX', ARGV[8]) end
return {'accepted'}
"""
# Gives an idempotency claim back, unless another request took it meanwhile.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def display_filename(name: str | None) -> str:
    """The user's filename for display only: last path part, no control characters."""
    base = (name or "").replace("\\", "/").rstrip("/").rpartition("/")[2]
    base = _CONTROL.sub("", base).strip()[:255]
    return base if base not in ("", ".", "..") else "document"


def check_upload(
    data: bytes, *, password: str | None, max_bytes: int, max_pages: int
) -> str:
    """Reject what a worker could never process; returns the sniffed media type."""
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"The file is {len(data)} bytes; the limit is {max_bytes}.", limit=max_bytes
        )
    media_type = sniff_media_type(data[:1024])
    if media_type == "application/pdf":
        with _PDFIUM_LOCK, open_pdf(data, password) as pdf:
            check_page_count(pdf, max_pages)
    return media_type


def idempotency_key_for(key: str, owner: str) -> str:
    """The Redis key of a caller's `Idempotency-Key` (hashed: the header is the caller's text)."""
    return IDEMPOTENCY_KEY.format(owner, hashlib.sha256(key.encode()).hexdigest()[:32])


@dataclass(frozen=True, slots=True)
class Submission:
    """A checked upload with its new job id: everything needed to store and queue it."""

    job_id: str
    data: bytes
    filename: str
    document_type: str
    owner: str
    password: str | None = None
    private: dict[str, str] = field(default_factory=dict)


class _RecordedWrites(DataAccessCommands):
    """redis-py's command methods, recording each command's arguments instead of sending it.

    The store, the upload storage and the metrics write through this as through a pipeline;
    the `_ACCEPT` script then runs the recorded commands."""

    _event_dispatcher: Any = None  # part of redis-py's command protocol; nothing is sent

    def __init__(self) -> None:
        self.args: list[Any] = []

    def execute_command(self, *args: Any, **options: Any) -> None:
        self.args.append(len(args))
        self.args.extend(args)


class Submitter:
    """Turns an accepted upload into a queued job."""

    def __init__(self, services: Services, celery: Celery) -> None:
        self.services = services
        self.celery = celery
        settings = services.settings
        self.publisher = TaskPublisher(celery)
        self._accept_sha = hashlib.sha1(_ACCEPT.encode()).hexdigest()
        # Its own client without a socket timeout (see PipelinedConnection); replies time out.
        self._channel = PipelinedConnection(
            AsyncRedis.from_url(settings.redis_url, socket_timeout=None)
        )
        self._release = services.redis.register_script(_RELEASE)
        # One script call needs the broker to be that same Redis, and the upload to be in it.
        self.one_round_trip = (
            settings.broker_url == settings.redis_url
            and settings.broker_url.startswith(("redis://", "rediss://", "unix://"))
            and isinstance(services.uploads, RedisUploads)
        )

    async def aclose(self) -> None:
        """Close the event loop's Redis connections (the API's shutdown)."""
        await self._channel.aclose()

    # -- checks: everything that can reject a request, nothing written ----------------------

    def prepare(
        self,
        data: bytes,
        *,
        filename: str | None,
        document_type: str,
        password: str | None = None,
        owner: str = "anonymous",
        callback_url: str | None = None,
        check_document: bool = True,
    ) -> Submission:
        """Check the fields and the document; the checked submission with a new job id."""
        private = self._validate(document_type, owner, callback_url)
        if check_document:
            self._check(data, password)
        return Submission(
            job_id=uuid.uuid4().hex, data=data, filename=display_filename(filename),
            document_type=document_type, owner=owner, password=password, private=private,
        )

    async def prepare_async(self, data: bytes, **fields: Any) -> Submission:
        """`prepare` for the event loop: a large PDF is opened in a thread."""
        inline = len(data) <= INLINE_CHECK_BYTES
        submission = self.prepare(data, check_document=inline, **fields)
        if not inline:
            await anyio.to_thread.run_sync(self._check, data, submission.password)
        return submission

    def _validate(self, document_type: str, owner: str, callback_url: str | None) -> dict[str, str]:
        """Check the request's fields; returns the record's private fields."""
        check_document_type(document_type)
        private = {"owner": owner}
        if callback_url:
            settings = self.services.settings
            private["callback_url"] = check_callback_url(
                callback_url,
                secret_configured=settings.webhook_secret is not None,
                allow_private=settings.webhook_allow_private,
            )
        return private

    def _check(self, data: bytes, password: str | None) -> None:
        settings = self.services.settings
        check_upload(
            data, password=password, max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
        )

    def _write(self, pipe: Any, submission: Submission) -> dict[str, Any]:
        """Queue the upload, the record and the submission count on `pipe`."""
        self.services.uploads.put(submission.job_id, submission.data, pipe)
        record = self.services.store.create(
            pipe, submission.job_id, filename=submission.filename,
            document_type=submission.document_type, password=submission.password,
            private=submission.private,
        )
        count_submitted(pipe)
        return record

    # -- the API's path: one script call -------------------------------------------------------

    async def submit_async(
        self, submission: Submission, admission: Admission, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """Confirm the caller, store, record and queue in ONE Redis call (`one_round_trip`)."""
        job_id = submission.job_id
        writes = _RecordedWrites()
        record = self._write(writes, submission)
        for name, args in self.publisher.commands(TASK_NAME, [job_id], job_id):
            getattr(writes, name)(*args)
        claim = idempotency_key_for(idempotency_key, submission.owner) if idempotency_key else ""
        try:
            outcome = await self._run_accept(
                admission.key_digest or "", admission.caller.id,
                "1" if admission.key_configured else "", admission.rate_key or "",
                admission.rate_limit, admission.rate_window, claim,
                self.services.settings.result_ttl, job_id, JOB_KEY.format(""), *writes.args,
            )
        except RedisError as exc:
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        verdict = outcome[0]
        if verdict == b"accepted":
            return record
        if verdict == b"unauthorized":
            raise unauthorized()
        if verdict == b"rate_limited":
            raise admission.rate_limited()
        earlier = await anyio.to_thread.run_sync(self.services.store.get, as_text(outcome[1]))
        if earlier is None:  # deleted in the instant since the script looked
            raise IdempotencyConflict("The job of this Idempotency-Key was just deleted; retry.")
        return earlier

    async def _run_accept(self, *args: Any) -> Any:
        """EVALSHA `_ACCEPT`, packed by hiredis, on the connection submissions share."""
        command = hiredis.pack_command(
            ("EVALSHA", self._accept_sha, 2, KEYS_HASH, REVOKED_SET, *args)
        )
        try:
            return await self._channel.call(command)
        except NoScriptError:  # a restarted Redis forgot the script: loaded on the same connection
            load: tuple[str, ...] = ("SCRIPT", "LOAD", _ACCEPT)
            await self._channel.call(hiredis.pack_command(load))  # type: ignore[arg-type]
            return await self._channel.call(command)

    # -- every other path: claim, MULTI/EXEC, send_task --------------------------------------

    def submit(
        self,
        data: bytes,
        *,
        filename: str | None,
        document_type: str,
        password: str | None = None,
        owner: str = "anonymous",
        callback_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Check, store and queue a document (blocking; the caller is already authenticated)."""
        submission = self.prepare(
            data, filename=filename, document_type=document_type, password=password,
            owner=owner, callback_url=callback_url,
        )
        return self.store_and_queue(submission, idempotency_key)

    def store_and_queue(
        self, submission: Submission, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        job_id = submission.job_id
        claim = idempotency_key_for(idempotency_key, submission.owner) if idempotency_key else None
        if claim is not None:
            earlier = self._claim(claim, job_id)
            if earlier is not None:
                return earlier
        try:
            pipe = self.services.redis.pipeline(transaction=True)  # all of it or nothing
            record = self._write(pipe, submission)
            pipe.execute()
        except RedisError as exc:
            if claim is not None:  # else the key would name a job that does not exist
                with suppress(RedisError):  # Redis is failing: the claim's lifetime ends it
                    self._release(keys=[claim], args=[job_id])
            raise StorageUnavailable(f"Redis did not answer: {exc}") from exc
        self._queue(job_id)
        return record

    def _claim(self, claim: str, job_id: str) -> dict[str, Any] | None:
        """Reserve the idempotency key for `job_id`; the earlier job when it was used before."""
        redis = self.services.redis
        if redis.set(claim, job_id, nx=True, ex=self.services.settings.result_ttl):
            return None
        earlier = redis.get(claim)
        record = self.services.store.get(as_text(earlier)) if earlier else None
        if record is None:
            raise IdempotencyConflict(
                "A request with this Idempotency-Key is still being accepted; retry shortly."
            )
        return record

    def _queue(self, job_id: str) -> None:
        try:
            self.celery.send_task(TASK_NAME, args=[job_id], task_id=job_id)
        except (OperationalError, RedisError, OSError) as exc:
            # The record stays, failed: an idempotency key names this job and shows why.
            message = f"The job queue did not answer: {exc}"
            self.services.store.fail(
                job_id, error=message, error_type=StorageUnavailable.error_type, message=message
            )
            raise StorageUnavailable(message) from exc
