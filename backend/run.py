"""`python run.py`: the API with uvicorn on DOCPROC_HOST:DOCPROC_PORT (default 127.0.0.1:8000)."""

import uvicorn

from docproc.config import settings_or_exit

if __name__ == "__main__":
    settings = settings_or_exit()
    uvicorn.run(
        "docproc.api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level="info",
    )
