#ifndef CASELOAD_CNCURSES_SHIM_H
#define CASELOAD_CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide-character defines live here.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <stdio.h>
#include <wchar.h>
#include <sys/ioctl.h>
#include <ncursesw/curses.h>

// Swift cannot see wcwidth on Linux (glibc hides it behind feature macros).
extern int wcwidth(wchar_t c);

// Everything below is `static inline` so that Swift imports plain functions instead of
// macros it cannot see, or global variables that Swift 6 strict concurrency rejects.

// MARK: - Attributes and colour pairs

static inline attr_t cl_a_normal(void) { return A_NORMAL; }
static inline attr_t cl_a_bold(void) { return A_BOLD; }
static inline attr_t cl_a_dim(void) { return A_DIM; }
static inline attr_t cl_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cl_a_reverse(void) { return A_REVERSE; }
static inline attr_t cl_a_chartext(void) { return A_CHARTEXT; }
static inline attr_t cl_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

// MARK: - Key codes

static inline int cl_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cl_key_resize(void) { return KEY_RESIZE; }
static inline int cl_key_mouse(void) { return KEY_MOUSE; }
static inline int cl_key_btab(void) { return KEY_BTAB; }
static inline int cl_key_f(int n) { return KEY_F(n); }
static inline int cl_key_f0(void) { return KEY_F0; }
static inline int cl_key_up(void) { return KEY_UP; }
static inline int cl_key_down(void) { return KEY_DOWN; }
static inline int cl_key_left(void) { return KEY_LEFT; }
static inline int cl_key_right(void) { return KEY_RIGHT; }
static inline int cl_key_home(void) { return KEY_HOME; }
static inline int cl_key_end(void) { return KEY_END; }
static inline int cl_key_npage(void) { return KEY_NPAGE; }
static inline int cl_key_ppage(void) { return KEY_PPAGE; }
static inline int cl_key_dc(void) { return KEY_DC; }
static inline int cl_key_ic(void) { return KEY_IC; }
static inline int cl_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cl_key_enter(void) { return KEY_ENTER; }

// MARK: - Globals read through getters

static inline WINDOW *cl_stdscr(void) { return stdscr; }
static inline WINDOW *cl_curscr(void) { return curscr; }
static inline int cl_lines(void) { return LINES; }
static inline int cl_cols(void) { return COLS; }
static inline int cl_colors(void) { return COLORS; }
static inline int cl_color_pairs(void) { return COLOR_PAIRS; }
static inline void cl_getmaxyx(WINDOW *win, int *y, int *x) {
    int yy = 0, xx = 0;
    if (win != NULL) { getmaxyx(win, yy, xx); }
    *y = yy; *x = xx;
}

/// The size of the terminal on `fd` as the kernel knows it; returns 0, or -1 when `fd` is no terminal.
static inline int cl_tty_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) { return -1; }
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}

/// The process environment, for posix_spawn (the global itself trips Swift 6 concurrency checks).
extern char **environ;
static inline char **cl_environ(void) { return environ; }

// MARK: - File systems

#ifdef __linux__
#include <sys/vfs.h>
/// The file system type (statfs f_type, e.g. TMPFS_MAGIC) of `path`, or 0 when it cannot be found: Swift's Glibc
/// module does not export statfs. The $EDITOR hand-off of an encrypted document asks whether a folder is in memory.
static inline unsigned long long cl_file_system_type(const char *path) {
    struct statfs info;
    if (path == NULL || statfs(path, &info) != 0) { return 0; }
    return (unsigned long long)info.f_type;
}
#else
static inline unsigned long long cl_file_system_type(const char *path) { (void)path; return 0; }
#endif

// MARK: - Mouse

static inline mmask_t cl_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t cl_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t cl_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cl_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cl_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cl_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cl_button5_pressed(void) { return BUTTON5_PRESSED; }

// MARK: - Locale

/// 1 when the current LC_CTYPE codeset is UTF-8.
static inline int cl_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// MARK: - Wide characters

/// Puts one grapheme (`count` wide characters: a spacing character and up to CCHARW_MAX-1
/// non-spacing ones) with attributes and colour pair at (y, x). Returns ERR only when setcchar
/// rejects the characters; mvwadd_wch's own ERR (the bottom-right cell, where the cursor cannot
/// advance, though the character is stored) is not a failure.
static inline int cl_put_wide(WINDOW *win, int y, int x, const wchar_t *wch, int count, attr_t attrs, int pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    cchar_t cell;
    int i;
    if (win == NULL || wch == NULL || count <= 0) { return ERR; }
    if (count > CCHARW_MAX) { count = CCHARW_MAX; }
    for (i = 0; i < count; i++) { buffer[i] = wch[i]; }
    buffer[count] = L'\0';
    memset(&cell, 0, sizeof cell);
    if (setcchar(&cell, buffer, attrs, (NCURSES_PAIRS_T)pair, &pair) == ERR) { return ERR; }
    (void)mvwadd_wch(win, y, x, &cell);
    return OK;
}

/// Reads back the cell at (y, x): its wide characters into `out` (NUL-terminated, at most
/// `capacity - 1`), its attributes and pair; `*continuation` is 1 for the right half of a
/// two-cell character. Returns the number of characters, or -1 on error.
static inline int cl_read_cell(WINDOW *win, int y, int x, wchar_t *out, int capacity, attr_t *attrs, int *pair, int *continuation) {
    cchar_t cell;
    int i, n = 0;
    if (win == NULL || out == NULL || capacity <= 0) { return -1; }
    memset(&cell, 0, sizeof cell);
    if (mvwin_wch(win, y, x, &cell) == ERR) { return -1; }
    // ncurses marks the columns of a wide character in the low (character) bits of attr:
    // 1 for the first column, more for the following ones.
    *continuation = (int)(cell.attr & A_CHARTEXT) > 1 ? 1 : 0;
    *attrs = cell.attr & ~A_CHARTEXT & ~A_COLOR;
    *pair = cell.ext_color != 0 ? cell.ext_color : (int)PAIR_NUMBER(cell.attr);
    for (i = 0; i < CCHARW_MAX && i < capacity - 1 && cell.chars[i] != L'\0'; i++) { out[n++] = cell.chars[i]; }
    out[n] = L'\0';
    return n;
}

#endif
