"""The programme guide (EPG) of ISDB (ARIB) and DVB MPEG transport streams.

Read by the same code as the ``epgdump-rs`` CLI; the event dicts have exactly the keys of
``epgdump-rs --format jsonl`` and the stats dict those of ``--stats=json``.
"""

import os
from typing import IO, Any, Iterable, Literal, Optional, Union

__version__: str

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
Symbols = Literal["unicode", "bracket"]
WidthOption = Literal["as-broadcast", "half", "full"]

class NotTransportStream(ValueError):
    """The input holds no MPEG transport stream packets (no 188/192/204-byte sync)."""

class Guide:
    """The programme guide of a read."""

    @property
    def services(self) -> list[dict[str, Any]]:
        """Dicts with ``onid``, ``tsid``, ``sid``, ``channel``, ``name``, ``provider``,
        ``type`` (service_type or None) and ``events`` (how many)."""
    @property
    def events(self) -> list[dict[str, Any]]:
        """One dict per event with exactly the JSON Lines keys (``onid`` … ``version_updated``).
        The same list each time."""
    @property
    def stats(self) -> dict[str, Any]:
        """The counters, with the keys of ``--stats=json``."""
    @property
    def complete(self) -> bool:
        """Whether every announced EIT schedule was complete at the end."""
    @property
    def warnings(self) -> list[str]:
        """The lines the CLI prints on stderr (input cut short, incomplete, capped, no EPG)."""
    @property
    def exit_status(self) -> int:
        """The CLI's exit status for this read written as JSON Lines (0, 3, 5 or 6)."""
    def to_xmltv(self) -> str:
        """XMLTV, as ``--format xmltv``."""
    def to_json(self) -> str:
        """Piro77 epgdump JSON, as ``--format json``."""
    def to_jsonl(self) -> str:
        """JSON Lines, as ``--format jsonl``."""

class Reader:
    """Live input: push bytes in any chunking, then ``finish()``."""

    def __init__(
        self,
        *,
        until_complete: bool = False,
        symbols: Symbols = "unicode",
        width: WidthOption = "as-broadcast",
        services: Optional[Iterable[int]] = None,
    ) -> None: ...
    def push(self, data: Union[bytes, bytearray, memoryview]) -> bool:
        """Feeds the next chunk; False when the reader stopped reading and ignored it."""
    def is_complete(self) -> bool:
        """Whether every EIT schedule announced so far is complete."""
    def finish(self) -> Guide:
        """Ends the input; raises NotTransportStream when no packet was pushed."""

def read(
    source: Source,
    *,
    until_complete: bool = False,
    symbols: Symbols = "unicode",
    width: WidthOption = "as-broadcast",
    services: Optional[Iterable[int]] = None,
) -> Guide:
    """Reads a path, a bytes-like object or a binary file-like object into a guide.

    Raises NotTransportStream for non-TS input, OSError (FileNotFoundError …) for an
    unreadable path, ValueError or TypeError for bad options."""
