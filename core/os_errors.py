"""Operating-system errors told in the clerk's language.

The reasons a clerk can meet when a file is written — a full disk, no permission, a read-only
disk, a name too long — are said in Chinese; anything rarer keeps the system's own words, in
parentheses after a Chinese lead, so nothing is hidden.
"""

from __future__ import annotations

import errno

REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已有同名的文件",
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "磁盘读写出错，请检查磁盘或U盘是否已拔出",
}


def os_reason(exc: OSError) -> str:
    """The reason of an OS error as one Chinese phrase ("磁盘空间已满"), or "系统错误（…）"."""
    known = REASONS.get(exc.errno) if exc.errno is not None else None
    if known:
        return known
    return f"系统错误（{exc.strerror or exc}）"
