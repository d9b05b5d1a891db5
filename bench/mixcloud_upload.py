"""Upload benchmark: ``send_form`` (checks, token, progress, cancel) against a plain httpx multipart POST.

Both send the same generated file to the same loopback Mixcloud (``tests/support/mixcloud_account.py``),
which parses the multipart body as a stream and hashes the file. The baseline is the floor of
streaming an upload with httpx: ``client.post(url, data=…, files={"mp3": open(file)})`` on the
same client, with nothing around it. Figures are medians of alternating rounds; the memory
figure is tracemalloc's peak for one upload of each kind (client and server share the process).

Run: ``.venv/bin/python bench/mixcloud_upload.py [megabytes]``
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixtui.account.upload import ShowForm, UploadProgress, send_form
from mixtui.config import load_settings
from mixtui.services import Services
from tests.support.mixcloud_account import FakeMixcloud

ROUNDS = 5
CHUNK = 1024 * 1024


def generate(path: Path, size: int) -> None:
    block = os.urandom(CHUNK)
    with path.open("wb") as handle:
        for start in range(0, size, CHUNK):
            handle.write(block[: min(CHUNK, size - start)])


async def main(megabytes: int) -> None:
    size = megabytes * 1_000_000
    with tempfile.TemporaryDirectory() as folder, FakeMixcloud(lifetime=600.0) as fake:
        tmp = Path(folder)
        audio = tmp / "bench-mix.mp3"
        generate(audio, size)
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        settings = load_settings(None, **fake.settings_overrides(), store={"path": str(tmp / "library.json")})
        async with Services(settings) as services:
            account = services.mixcloud_account
            token = fake.issue_token()
            account.store.save(token)
            url = f"{fake.api_url}/upload/?access_token={token}"
            updates = 0

            def on_progress(state: UploadProgress) -> None:
                nonlocal updates
                updates += 1

            async def ours() -> None:
                result = await send_form(
                    account, "/upload/", ShowForm(name="Bench Mix"), audio=audio, on_progress=on_progress
                )
                assert result.key

            async def plain() -> None:
                with audio.open("rb") as handle:
                    response = await services.http.post(
                        url, data={"name": "Bench Mix"}, files={"mp3": (audio.name, handle, "audio/mpeg")}, timeout=600
                    )
                assert response.status_code == 200, response.text

            await plain()  # warm the connection
            timings: dict[str, list[float]] = {"plain": [], "ours": []}
            for _ in range(ROUNDS):
                for name, action in (("plain", plain), ("ours", ours)):
                    started = time.perf_counter()
                    await action()
                    timings[name].append(time.perf_counter() - started)
            peaks: dict[str, int] = {}
            for name, action in (("plain", plain), ("ours", ours)):
                tracemalloc.start()
                await action()
                peaks[name] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    plain_s, ours_s = statistics.median(timings["plain"]), statistics.median(timings["ours"])
    print(f"upload of a {megabytes} MB file to a loopback Mixcloud, median of {ROUNDS}")
    print(f"  plain httpx multipart POST   {plain_s * 1000:8.1f} ms  {size / plain_s / 1e6:7.1f} MB/s")
    print(f"  mixtui send_form             {ours_s * 1000:8.1f} ms  {size / ours_s / 1e6:7.1f} MB/s")
    ratio, per_upload = ours_s / plain_s, updates // (ROUNDS + 1)
    print(f"  ratio (ours / plain time)    {ratio:8.2f}x   progress updates per upload: {per_upload}")
    print(f"  peak traced memory: plain {peaks['plain'] / 2**20:.2f} MiB, ours {peaks['ours'] / 2**20:.2f} MiB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
