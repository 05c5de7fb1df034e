"""Code 128 barcodes in code set C (pairs of digits), drawn as SVG. Pure functions.

The Finnish bank barcode is the 54-digit virtual barcode printed as Code 128 set C: a start
symbol, 27 pairs of digits, a modulo-103 check symbol and the stop symbol (Finance Finland's
"Pankkiviivakoodi-opas")."""

from xml.sax.saxutils import escape, quoteattr

# Bar and space widths (in modules) of symbol values 0–106, bar first.
PATTERNS = (  # noqa: SIM905 - a table reads better as text
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
).split()
START_C = 105
STOP = 106
QUIET_ZONE = 10  # modules of white on each side


def symbols_c(digits: str) -> list[int]:
    """Symbol values for an even number of digits: start C, the pairs, the check, stop."""
    if not digits.isdigit() or len(digits) % 2:
        raise ValueError("code set C encodes an even number of digits")
    values = [START_C] + [int(digits[i : i + 2]) for i in range(0, len(digits), 2)]
    check = sum(value * max(position, 1) for position, value in enumerate(values)) % 103
    return [*values, check, STOP]


def modules(values: list[int]) -> str:
    """The symbol as a string of modules: ``1`` for a bar, ``0`` for a space."""
    out: list[str] = []
    for value in values:
        for index, width in enumerate(PATTERNS[value]):
            out.append(("1" if index % 2 == 0 else "0") * int(width))
    return "".join(out)


def svg(digits: str, *, module_mm: float = 0.3, height_mm: float = 13.0, label: str = "") -> str:
    """An SVG drawing of the barcode, sized in millimetres for print, with quiet zones."""
    bars = modules(symbols_c(digits))
    width = len(bars) + 2 * QUIET_ZONE
    rects: list[str] = []
    x = 0
    while x < len(bars):
        if bars[x] == "1":
            run = len(bars[x:]) - len(bars[x:].lstrip("1"))
            rects.append(f'<rect x="{x + QUIET_ZONE}" y="0" width="{run}" height="1"/>')
            x += run
        else:
            x += 1
    title = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label={quoteattr(label)} '
        f'width="{width * module_mm:.2f}mm" height="{height_mm:.2f}mm" '
        f'viewBox="0 0 {width} 1" preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'{title}<rect x="0" y="0" width="{width}" height="1" fill="#fff"/>'
        f'<g fill="#000">{"".join(rects)}</g></svg>'
    )
