"""The files délib writes: never the database, always whole, never over a file by surprise.

Every file a command writes (``-o``/``--output``, a key, a checkpoint) goes through
:func:`atomic_output`:

- **never the store**: the path, once every symbolic link is followed, may not be the database,
  its ``-wal``, ``-shm`` or ``-journal`` companions, a hard link to any of them, or a file inside
  délib's own data folder (where the default database lives). ``delib audit export -o $DELIB_DB``
  is refused before anything is opened for writing;
- **whole or not at all**: the content goes to a temporary file in the same folder, is flushed
  and ``fsync``-ed, then takes the final name in one ``rename`` (POSIX: atomic); the folder is
  synced too. A full disk or any error mid-way removes the temporary file and leaves the old file
  as it was, byte for byte;
- **no silent replacement**: an existing file is refused unless ``force`` is given; the new file
  then takes its place atomically and the caller says it replaced it.

Also here: :func:`spreadsheet_safe`, the OWASP defence against CSV injection.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from workflow.errors import InvalidInput

COMPANIONS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Protected:
    """What no output may touch: the database files and délib's data folder."""

    files: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()
    identities: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @classmethod
    def around(cls, database: Path | None, folders: Iterable[Path] = ()) -> Protected:
        files: list[Path] = []
        if database is not None:
            base = _real(database)
            files = [base.with_name(base.name + suffix) for suffix in COMPANIONS]
        identities = set()
        for path in files:
            with contextlib.suppress(OSError):
                stat = path.stat()
                identities.add((stat.st_dev, stat.st_ino))
        return cls(tuple(files), tuple(_real(f) for f in folders), frozenset(identities))

    def check(self, target: Path, shown: str) -> None:
        """Refuse ``target`` if it is, or resolves to, a protected file or lies in a protected folder."""
        real = _real(target)
        hit = real in self.files or any(real == f or f in real.parents for f in self.folders)
        if not hit:
            with contextlib.suppress(OSError):
                stat = real.stat()
                hit = (stat.st_dev, stat.st_ino) in self.identities
        if hit:
            raise InvalidInput(
                f"Refused to write {shown}: it is (or leads to) the délib database, one of its files or "
                "délib's data folder. Give another path; nothing was written.",
                f"Écriture de {shown} refusée : ce chemin est (ou mène à) la base délib, l'un de ses "
                "fichiers ou le dossier de données de délib. Donnez un autre chemin ; rien n'a été écrit.",
            )


def _real(path: Path) -> Path:
    return Path(os.path.realpath(os.path.expanduser(path)))


@contextlib.contextmanager
def atomic_output(
    path: str | Path,
    *,
    force: bool = False,
    protected: Protected | None = None,
    binary: bool = False,
    mode: int = 0o644,
) -> Iterator[IO[Any]]:
    """A file object whose content becomes ``path`` only when the block ends without error.

    ``mode``: the permissions of the new file (0o600 for a private key): the temporary file is
    created with them, so the content is never readable by others, even for an instant.
    """
    shown, target = str(path), check_target(path, force=force, protected=protected)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    try:
        os.fchmod(fd, mode)
        out: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if not force and target.exists():  # someone created it meanwhile: still never replaced
            raise InvalidInput(
                f"{shown} appeared while it was being written: give --force to replace it (nothing was written).",
                f"{shown} est apparu pendant l'écriture : donnez --force pour le remplacer (rien n'a été écrit).",
            )
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except OSError as exc:
        _remove(temporary)
        raise _cannot_write(shown, exc) from None
    except BaseException:
        _remove(temporary)
        raise


def check_target(path: str | Path, *, force: bool = False, protected: Protected | None = None) -> Path:
    """The real path ``path`` leads to, once checked that a new file may be written there
    (called before any work, so that a refused output costs nothing)."""
    shown = str(path)
    target = _real(Path(path))
    (protected or Protected()).check(Path(path), shown)
    if target.is_dir():
        raise InvalidInput(f"{shown} is a folder, not a file.", f"{shown} est un dossier, pas un fichier.")
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Cannot write {shown}: the folder {target.parent} does not exist.",
            f"Impossible d'écrire {shown} : le dossier {target.parent} n'existe pas.",
        )
    if target.exists() and not force:
        raise InvalidInput(
            f"{shown} already exists: give --force to replace it (nothing was written).",
            f"{shown} existe déjà : donnez --force pour le remplacer (rien n'a été écrit).",
        )
    return target


def write_atomically(
    path: str | Path, data: str | bytes, *, force: bool = False, protected: Protected | None = None, mode: int = 0o644
) -> None:
    """Write ``data`` whole to ``path`` (see :func:`atomic_output`)."""
    with atomic_output(path, force=force, protected=protected, binary=isinstance(data, bytes), mode=mode) as out:
        out.write(data)


def write_all(
    folder: str | Path,
    files: Sequence[tuple[str, bytes]],
    *,
    force: bool = False,
    protected: Protected | None = None,
) -> list[Path]:
    """Write several files into ``folder`` (created when only it is missing), each whole (see
    :func:`atomic_output`), all or none:
    every target is checked before the first is written, and when one cannot be written those
    this call already created are removed (a replaced file keeps its new content)."""
    base = Path(folder)
    if not _real(base).exists() and _real(base).parent.is_dir():
        (protected or Protected()).check(base, str(folder))
        try:
            base.mkdir()
        except OSError as exc:
            raise _cannot_write(str(folder), exc) from None
    if not _real(base).is_dir():
        raise InvalidInput(f"{folder} is not a folder.", f"{folder} n'est pas un dossier.")
    targets = [base / name for name, _ in files]
    for target in targets:
        check_target(target, force=force, protected=protected)
    created: list[Path] = []
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            existed = target.exists()
            write_atomically(target, data, force=force, protected=protected)
            if not existed:
                created.append(target)
    except BaseException:
        for path in created:
            _remove(str(path))
        raise
    return targets


def _cannot_write(shown: str, exc: OSError) -> InvalidInput:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
        reason_fr = "le disque est plein"
    else:
        reason_fr = reason
    return InvalidInput(
        f"Cannot write {shown}: {reason}. Any previous {shown} is left whole; nothing was written.",
        f"Impossible d'écrire {shown} : {reason_fr}. Un {shown} existant est laissé intact ; rien n'a été écrit.",
    )


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (the folder's entry), where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def spreadsheet_safe_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> str:
    """CSV text of ``rows`` (header ``fields``, ``\\n`` line ends) with every cell made
    :func:`spreadsheet_safe`: identical to the plain CSV when no cell starts like a formula."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP, CSV injection).

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a
    single quote, which spreadsheets show as text; other values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
