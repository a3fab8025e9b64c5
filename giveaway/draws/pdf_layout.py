"""The certificate's printed page: fonts, QR block, sections, rows and tables (fpdf2).

Nothing here chooses words; :mod:`giveaway.draws.pdf` does. The page is A4
with text left-aligned (never justified), in DejaVu Sans with Noto Emoji as
the fallback for emoji, both embedded from ``giveaway/draws/fonts`` (licences
beside them). A character neither font can draw is printed as ``[U+XXXX]``
rather than dropped or turned into "?". The QR code is drawn as vector
squares in a block of its own, top right, with a quiet zone of four modules
that no text enters: the header text beside it is set in a narrower column.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import segno
from fpdf import FPDF, FontFace

FONT_DIR = Path(__file__).with_name("fonts")
TEXT_FONT = "dejavu"
EMOJI_FONT = "notoemoji"

INK = (33, 37, 41)
MUTED = (95, 99, 104)
RULE = (190, 194, 198)
WARNING_FILL = (255, 243, 205)

QR_SYMBOL_MM = 36  #: the code itself; 4 modules of quiet zone are added on each side
QR_QUIET_MODULES = 4
QR_GAP_MM = 6  #: between the quiet zone and the header text
LABEL_MM = 44  #: the label column of a row
LINE_MM = 4.6  #: line height of body text (8.5 pt)


class CertificateLayout(FPDF):
    """An A4 page set up for the certificate: embedded fonts, left-aligned text, a footer."""

    def __init__(self, footer_text: str, page_label: Callable[[int, str], str]) -> None:
        """``footer_text`` is printed on every page, with ``page_label(number, count)``
        (the count is fpdf2's placeholder, replaced by the page count at output)."""
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.page_label = page_label
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_font(TEXT_FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(TEXT_FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(EMOJI_FONT, "", FONT_DIR / "NotoEmoji-Regular.ttf")
        self.set_fallback_fonts([EMOJI_FONT], exact_match=False)
        # What both weights can draw (the bold lacks a few rare letters), or the emoji font.
        self._drawable = (set(self.fonts[TEXT_FONT].cmap) & set(self.fonts[TEXT_FONT + "B"].cmap)
                          | set(self.fonts[EMOJI_FONT].cmap))
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)

    # --- text ----------------------------------------------------------------------------

    def printable(self, text: object) -> str:
        """``text`` with each character no embedded font can draw written ``[U+XXXX]``."""
        return "".join(c if c == "\n" or ord(c) in self._drawable else f"[U+{ord(c):04X}]"
                       for c in str(text))

    def style(self, size: float, bold: bool = False, color: tuple[int, int, int] = INK) -> None:
        """Set the text font (DejaVu Sans), its size in points, weight and colour."""
        self.set_font(TEXT_FONT, "B" if bold else "", size)
        self.set_text_color(*color)

    def paragraph(self, text: str, size: float = 8.5, bold: bool = False,
                  color: tuple[int, int, int] = INK, line: float = LINE_MM,
                  align: str = "L") -> None:
        """A left-aligned paragraph across the text column; long words break anywhere."""
        self.style(size, bold, color)
        self.multi_cell(0, line, self.printable(text), align=align,
                        new_x="LMARGIN", new_y="NEXT")

    def warning_box(self, text: str) -> None:
        """A framed, filled paragraph for a legal warning (the Loi Evin health message)."""
        self.style(9.5, bold=True)
        self.set_fill_color(*WARNING_FILL)
        self.multi_cell(0, 5.2, self.printable(text), border=1, fill=True, align="L",
                        padding=(2, 3, 2, 3), new_x="LMARGIN", new_y="NEXT")
        self.set_fill_color(255)  # tables fill their cells with the current fill colour
        self.ln(2)

    # --- structure -----------------------------------------------------------------------

    def section(self, title: str) -> None:
        """A section heading with a rule under it; never alone at the foot of a page."""
        if self.get_y() + 22 > self.page_break_trigger:
            self.add_page()
        self.ln(3.5)
        self.style(11, bold=True)
        self.cell(0, 6, self.printable(title), new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.8)

    def rows(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label / value rows: the label in bold on the left, the value wrapping beside it."""
        if not pairs:
            return
        label_style = FontFace(family=TEXT_FONT, emphasis="BOLD", size_pt=8.5, color=MUTED)
        value_style = FontFace(family=TEXT_FONT, emphasis="", size_pt=8.5, color=INK)
        with self.table(col_widths=(LABEL_MM, self.epw - LABEL_MM), width=self.epw,
                        first_row_as_headings=False, borders_layout="NONE", text_align="LEFT",
                        v_align="TOP", line_height=LINE_MM, padding=(0.6, 1.5, 0.6, 0)) as table:
            for label, value in pairs:
                row = table.row()
                row.cell(self.printable(label), style=label_style)
                row.cell(self.printable(value), style=value_style)

    def grid(self, headings: Sequence[str], body: Sequence[Sequence[str]],
             widths: Sequence[float]) -> None:
        """A table with a heading row and light horizontal rules (``widths`` as fractions)."""
        heading_style = FontFace(family=TEXT_FONT, emphasis="BOLD", size_pt=8.5, color=MUTED)
        self.style(9)
        with self.table(col_widths=tuple(widths), width=self.epw, text_align="LEFT",
                        borders_layout="HORIZONTAL_LINES", headings_style=heading_style,
                        line_height=5, padding=(1, 1.5, 1, 1.5), v_align="TOP") as table:
            table.row([self.printable(h) for h in headings])
            for cells in body:
                table.row([self.printable(c) for c in cells])

    @contextmanager
    def beside_qr(self, url: str, caption: str) -> Iterator[None]:
        """Draw the QR block top right, and the text written inside the block beside it.

        The right margin is widened for the block's duration so that text never
        reaches the code or its quiet zone; afterwards the cursor is below both.
        """
        top = self.get_y()
        matrix = segno.make(url, error="m", micro=False).matrix
        block = QR_SYMBOL_MM * (1 + 2 * QR_QUIET_MODULES / len(matrix))
        block_bottom = self._qr_block(matrix, block, url, caption, top)
        margin = self.r_margin
        reserved = block + QR_GAP_MM
        self.set_right_margin(margin + reserved)
        try:
            yield
        finally:
            self.set_right_margin(margin)
        self.set_xy(self.l_margin, max(self.get_y(), block_bottom) + 2)

    def _qr_block(self, matrix: Sequence[bytes], block: float, url: str, caption: str,
                  top: float) -> float:
        """Draw the QR ``matrix`` with its quiet zone, ``block`` mm wide, and the caption and
        ``url`` under it; return the block's bottom."""
        modules = len(matrix)
        module = QR_SYMBOL_MM / modules
        quiet = QR_QUIET_MODULES * module
        left = self.w - self.r_margin - block
        x0, y0 = left + (block - QR_SYMBOL_MM) / 2, top + quiet
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            c = 0
            while c < modules:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < modules and row[c]:
                    c += 1
                # A hair taller than a module, so that no seam shows between rows.
                self.rect(x0 + start * module, y0 + r * module, (c - start) * module,
                          module + 0.02, style="F")
        self.set_fill_color(255)
        self.set_xy(left, y0 + QR_SYMBOL_MM + quiet)
        self.style(7, color=MUTED)
        self.multi_cell(block, 3.2, self.printable(caption), align="C",
                        new_x="LEFT", new_y="NEXT")
        self.multi_cell(block, 3.2, self.printable(url), align="C", wrapmode="CHAR",
                        new_x="LEFT", new_y="NEXT")
        bottom = self.get_y()
        self.set_xy(self.l_margin, top)
        return bottom

    def footer(self) -> None:
        """The certificate's name and the page number, on every page."""
        self.set_y(-12)
        self.style(7, color=MUTED)
        label = self.page_label(self.page_no(), self.str_alias_nb_pages)
        self.cell(0, 4, self.printable(f"{self.footer_text} · {label}"), align="C")
