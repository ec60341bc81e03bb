import Foundation

// Byte-for-byte themes/solarized-dark.toml (ThemeTests checks they match); each line indented eight spaces.
extension BuiltInThemes {
    /// The built-in theme "solarized-dark".
    static let solarizedDark = #"""
        # Caseload theme: solarized-dark.
        # Solarized dark (Ethan Schoonover's palette).
        # Roles, colours and attributes: see README.md in this folder.

        name = "solarized-dark"

        # Ordinary text, and the background of every pane.
        [roles.text]
        fg = "#839496"
        bg = "#002b36"

        # Secondary text: time labels, empty-list hints, note status.
        [roles.dim]
        fg = "#657b83"
        bg = "#002b36"

        # The top line: program name and the week shown.
        [roles.titleBar]
        fg = "#fdf6e3"
        bg = "#073642"
        bold = true

        # The quieter part of the top line: the file name.
        [roles.titleBarDim]
        fg = "#93a1a1"
        bg = "#073642"

        # Pane frames.
        [roles.border]
        fg = "#657b83"
        bg = "#002b36"

        # The frame of the pane that has the keyboard.
        [roles.borderFocused]
        fg = "#268bd2"
        bg = "#002b36"
        bold = true

        # A pane's title, in its top border.
        [roles.paneTitle]
        fg = "#93a1a1"
        bg = "#002b36"
        bold = true

        # The focused pane's title.
        [roles.paneTitleFocused]
        fg = "#002b36"
        bg = "#268bd2"
        bold = true

        # The cursor in the focused pane: a list row, a week cell, the chosen session.
        [roles.selection]
        fg = "#002b36"
        bg = "#93a1a1"
        bold = true

        # Where the cursor is in the other panes.
        [roles.selectionUnfocused]
        fg = "#93a1a1"
        bg = "#073642"
        bold = true

        # Column headings and the days of the week.
        [roles.header]
        fg = "#93a1a1"
        bg = "#002b36"
        bold = true

        # Keys in the bottom hint line (Tab, ?, n).
        [roles.hintKey]
        fg = "#268bd2"
        bg = "#002b36"
        bold = true

        # The bottom line itself and what the keys do.
        [roles.hintText]
        fg = "#657b83"
        bg = "#002b36"

        # Good news: "saved".
        [roles.statusOK]
        fg = "#859900"
        bg = "#002b36"

        # Needs attention: unsaved changes, draft notes, read-only.
        [roles.statusWarning]
        fg = "#b58900"
        bg = "#002b36"
        bold = true

        # Something failed or is wrong: save failed, autosave stopped, absent.
        [roles.statusError]
        fg = "#dc322f"
        bg = "#002b36"
        bold = true

        # A group session in the week grid.
        [roles.groupBlock]
        fg = "#002b36"
        bg = "#268bd2"

        # An individual session in the week grid.
        [roles.individualBlock]
        fg = "#002b36"
        bg = "#859900"

        # A family session in the week grid.
        [roles.familyBlock]
        fg = "#fdf6e3"
        bg = "#d33682"

        # A cancelled occurrence (its title starts with ✕).
        [roles.cancelledBlock]
        fg = "#657b83"
        bg = "#073642"

        # The chosen session while the Week pane is not focused.
        [roles.highlightBlock]
        fg = "#002b36"
        bg = "#b58900"

        # Today's column heading.
        [roles.today]
        fg = "#b58900"
        bg = "#002b36"
        bold = true
        underline = true

        # The current time in the week grid's time column.
        [roles.nowLine]
        fg = "#dc322f"
        bg = "#002b36"
        bold = true

        # A patient's weekly hours that meet the phase requirement.
        [roles.meterOK]
        fg = "#859900"
        bg = "#002b36"

        # Weekly hours still short of the requirement.
        [roles.meterBehind]
        fg = "#b58900"
        bg = "#002b36"
        bold = true

        # A requirement that can no longer be met.
        [roles.meterMissed]
        fg = "#dc322f"
        bg = "#002b36"
        bold = true

        # Alert flags (⚑) and "+N" for sessions that do not fit.
        [roles.flag]
        fg = "#cb4b16"
        bg = "#002b36"
        bold = true

        # Dialogs, forms and help drawn over the panes.
        [roles.overlay]
        fg = "#839496"
        bg = "#073642"

        # Their frames.
        [roles.overlayBorder]
        fg = "#268bd2"
        bg = "#073642"

        # Their titles and headings.
        [roles.overlayTitle]
        fg = "#93a1a1"
        bg = "#073642"
        bold = true

        # The : command line and / search input.
        [roles.commandLine]
        fg = "#93a1a1"
        bg = "#002b36"

        # Messages in the bottom line.
        [roles.message]
        fg = "#839496"
        bg = "#002b36"

        # Error messages in the bottom line.
        [roles.errorMessage]
        fg = "#dc322f"
        bg = "#002b36"
        bold = true

        """#
}
