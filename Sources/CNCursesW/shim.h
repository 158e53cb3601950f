#ifndef QUIRE_CNCURSESW_SHIM_H
#define QUIRE_CNCURSESW_SHIM_H

// SwiftPM drops the -D_XOPEN_SOURCE=600 that ncursesw.pc asks for; without these
// defines the wide-character API (get_wch, setcchar, mvadd_wch) is not declared.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// C globals are concurrency errors in Swift 6 and function-like or attribute macros
// do not import, so everything Swift needs of them goes through these functions.
static inline WINDOW *quire_stdscr(void) { return stdscr; }
/// Like initscr(), but returns NULL for an unknown $TERM instead of exiting the process.
static inline SCREEN *quire_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int quire_lines(void) { return LINES; }
static inline int quire_cols(void) { return COLS; }
static inline int quire_key_resize(void) { return KEY_RESIZE; }
static inline int quire_key_f(int n) { return KEY_F(n); }
static inline int quire_key_code_yes(void) { return KEY_CODE_YES; }
static inline int quire_err(void) { return ERR; }

static inline int quire_key_mouse(void) { return KEY_MOUSE; }
static inline int quire_colors(void) { return COLORS; }
static inline int quire_color_pairs(void) { return COLOR_PAIRS; }

/// Reports the left button going down and the wheel, at once rather than after the
/// default sixth of a second curses waits to tell a click from a press; 0 turns reports off.
static inline void quire_mouse(int on) {
  mousemask(on ? (BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
  mouseinterval(0);
}

/// The mouse event behind a KEY_MOUSE: 1 for a left press, 4 and 5 for the wheel up and
/// down, 0 for anything else (a release, another button).
static inline int quire_read_mouse(int *row, int *col) {
  MEVENT event;
  if (getmouse(&event) != OK) return 0;
  *row = event.y;
  *col = event.x;
  if (event.bstate & BUTTON1_PRESSED) return 1;
  if (event.bstate & BUTTON4_PRESSED) return 4;
  if (event.bstate & BUTTON5_PRESSED) return 5;
  return 0;
}

static inline attr_t quire_a_normal(void) { return A_NORMAL; }
static inline attr_t quire_a_bold(void) { return A_BOLD; }
static inline attr_t quire_a_reverse(void) { return A_REVERSE; }
static inline attr_t quire_a_underline(void) { return A_UNDERLINE; }
static inline attr_t quire_a_dim(void) { return A_DIM; }
static inline attr_t quire_a_italic(void) { return A_ITALIC; }

/// Draws one cell: a base character plus up to four combining marks.
static inline int quire_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
  cchar_t cell;
  if (setcchar(&cell, chars, attrs, pair, NULL) == ERR) return ERR;
  return mvadd_wch(y, x, &cell);
}

#endif
