"""Buddhist Era (B.E.) years: one place for showing and reading Thai years.

Dates are stored in C.E.; the Thai UI shows B.E. (C.E. + 543) and users may type a B.E. year.
Pure module: no Django imports, so it is trivial to test.
"""

BE_OFFSET = 543
# A year this large can only be B.E. (C.E. 2400 is centuries away; B.E. 2400 is C.E. 1857).
BE_INPUT_THRESHOLD = 2400


def to_buddhist_year(year: int) -> int:
    return year + BE_OFFSET


def normalize_input_year(year: int) -> int:
    """Return the C.E. year for a year typed by a user, who may have typed it in B.E."""
    return year - BE_OFFSET if year >= BE_INPUT_THRESHOLD else year


def with_buddhist_year(fmt: str, year: int) -> str:
    """Rewrite a Django date format string so ``Y``/``y`` print the B.E. year instead of the C.E. one.

    Escaped characters (``\\Y``) stay as they are. The year becomes escaped literal digits, so
    ``"j F Y"`` for 2017 becomes ``"j F \\2\\5\\6\\0"``.
    """
    be_year = str(to_buddhist_year(year))
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "Y":
            out.append("".join("\\" + digit for digit in be_year))
        elif char == "y":
            out.append("".join("\\" + digit for digit in be_year[-2:]))
        else:
            out.append(char)
    return "".join(out)
