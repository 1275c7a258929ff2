"""How this process hands freed memory back to the system.

glibc serves an allocation of 128 KB or more from a mapping of its own, given back when freed, but
raises that threshold to the size of each such block freed, up to 32 MB. The index's and the
search's numpy arrays of a few to tens of megabytes then come from the heap, and the heap keeps
the pages of the temporaries once they are freed: after the reader's search warm-up at 100,000
articles, 214 MB resident of which 145 MB were in use. A fixed threshold keeps large blocks in
mappings of their own (147 MB resident, peak 187 MB against 218).
"""

from __future__ import annotations

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, in glibc's malloc.h
THRESHOLD = 1 << 20  # blocks of a megabyte or more: a mapping each


def give_back_large_blocks() -> bool:
    """Fix glibc's mapping threshold at THRESHOLD; whether it was set (not on other libcs)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD))
