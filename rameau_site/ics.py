"""What the site's hand-written iCalendar (RFC 5545) files share: TEXT escaping and
line folding. diagnostics/ics.py (a roadmap's months) and network/ics.py (the agenda)
build their events on these; the apps may not import each other."""


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11): backslash, semicolon, comma, new line."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded to at most 75 octets a line (3.1), never inside a
    character's UTF-8 bytes: each continuation starts with one space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)
