"""The Docker engine as coderunner sees it: images, our containers, reachability.

The SDK is synchronous; every call runs in a worker thread so the event loop never
waits on the engine. Foreign errors become DockerError here, where they enter.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import anyio
import docker
import docker.errors
import requests.exceptions

from ..errors import DockerError

log = logging.getLogger("coderunner.engine")

SESSION_LABEL = "coderunner.session"
ROOT_LABEL = "coderunner.root"
VERSION_LABEL = "coderunner.version"
PACKAGES_LABEL = "coderunner.packages"

_FOREIGN = (docker.errors.DockerException, requests.exceptions.RequestException, OSError)


def root_label(root: Path) -> str:
    """Label value tying containers to one sessions root (one coderunner instance)."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def container_name(session_id: str) -> str:
    return f"cr-{session_id}"


class Engine:
    def __init__(self, root: Path, client: Any | None = None) -> None:
        self._client = client
        self.root_label = root_label(root)

    def _docker(self) -> Any:
        # Created lazily: a coderunner started before dockerd must still come up
        # (and say in /health that the engine is missing).
        if self._client is None:
            try:
                self._client = docker.from_env(timeout=30)
            except _FOREIGN as exc:
                raise DockerError(f"Docker engine unreachable: {exc}") from exc
        return self._client

    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            try:
                return fn(self._docker(), *args, **kwargs)
            except _FOREIGN as exc:
                raise DockerError(f"Docker engine error: {exc}") from exc

        return await anyio.to_thread.run_sync(call)

    async def ping(self) -> bool:
        try:
            return bool(await self._call(lambda c: c.ping()))
        except DockerError:
            return False

    async def image_versions(self, images: list[str]) -> dict[str, str]:
        """image name -> version label, for the images that exist."""
        labels = await self.image_labels(images)
        return {name: found.get(VERSION_LABEL, "") for name, found in labels.items()}

    async def image_labels(self, images: list[str]) -> dict[str, dict[str, str]]:
        """image name -> its labels (coderunner.version, coderunner.packages ...),
        for the images that exist."""

        def look(client: Any) -> dict[str, dict[str, str]]:
            found: dict[str, dict[str, str]] = {}
            for name in images:
                try:
                    image = client.images.get(name)
                except docker.errors.ImageNotFound:
                    continue
                found[name] = dict(image.labels or {})
            return found

        return await self._call(look)

    async def our_containers(self) -> list[str]:
        """Names of the containers of this sessions root (running or not)."""

        def ls(client: Any) -> list[str]:
            found = client.containers.list(
                all=True, filters={"label": f"{ROOT_LABEL}={self.root_label}"}
            )
            return [c.name for c in found]

        return await self._call(ls)

    async def remove(self, name: str) -> bool:
        """Kill and remove a container; False when it was already gone."""

        def rm(client: Any) -> bool:
            try:
                client.containers.get(name).remove(force=True)
            except docker.errors.NotFound:
                return False
            except docker.errors.APIError as exc:
                # "removal already in progress" (--rm racing us) is success.
                if exc.status_code == 409:
                    return True
                raise
            return True

        return await self._call(rm)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
