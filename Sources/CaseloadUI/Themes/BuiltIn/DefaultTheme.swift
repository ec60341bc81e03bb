import Foundation

// Byte-for-byte themes/default.toml (ThemeTests checks they match); each line indented eight spaces.
extension BuiltInThemes {
    /// The built-in theme "default".
    static let defaultTheme = #"""
        # Caseload theme: default.
        # Dark: light text on a near-black background. Sessions are blue (group), green (individual)
        # and purple (family); the cursor is light blue.
        # Roles, colours and attributes: see README.md in this folder.

        name = "default"

        # Ordinary text, and the background of every pane.
        [roles.text]
        fg = "#d4d7dd"
        bg = "#1e2127"

        # Secondary text: time labels, empty-list hints, note status.
        [roles.dim]
        fg = "#8b929e"
        bg = "#1e2127"

        # The top line: program name and the week shown.
        [roles.titleBar]
        fg = "#eef0f3"
        bg = "#2f3b4f"
        bold = true

        # The quieter part of the top line: the file name.
        [roles.titleBarDim]
        fg = "#a3adbb"
        bg = "#2f3b4f"

        # Pane frames.
        [roles.border]
        fg = "#6e7685"
        bg = "#1e2127"

        # The frame of the pane that has the keyboard.
        [roles.borderFocused]
        fg = "#61afef"
        bg = "#1e2127"
        bold = true

        # A pane's title, in its top border.
        [roles.paneTitle]
        fg = "#b8bfcc"
        bg = "#1e2127"
        bold = true

        # The focused pane's title.
        [roles.paneTitleFocused]
        fg = "#10141a"
        bg = "#61afef"
        bold = true

        # The cursor in the focused pane: a list row, a week cell, the chosen session.
        [roles.selection]
        fg = "#10141a"
        bg = "#61afef"
        bold = true

        # Where the cursor is in the other panes.
        [roles.selectionUnfocused]
        fg = "#e6e9ef"
        bg = "#3e4451"
        bold = true

        # Column headings and the days of the week.
        [roles.header]
        fg = "#abb2bf"
        bg = "#1e2127"
        bold = true

        # Keys in the bottom hint line (Tab, ?, n).
        [roles.hintKey]
        fg = "#61afef"
        bg = "#1e2127"
        bold = true

        # The bottom line itself and what the keys do.
        [roles.hintText]
        fg = "#8b929e"
        bg = "#1e2127"

        # Good news: "saved".
        [roles.statusOK]
        fg = "#5fc35f"
        bg = "#1e2127"

        # Needs attention: unsaved changes, draft notes, read-only.
        [roles.statusWarning]
        fg = "#e5b93b"
        bg = "#1e2127"

        # Something failed or is wrong: save failed, autosave stopped, absent.
        [roles.statusError]
        fg = "#f05a5a"
        bg = "#1e2127"
        bold = true

        # A group session in the week grid.
        [roles.groupBlock]
        fg = "#ffffff"
        bg = "#2b4f9a"

        # An individual session in the week grid.
        [roles.individualBlock]
        fg = "#0f1a0f"
        bg = "#5aa341"

        # A family session in the week grid.
        [roles.familyBlock]
        fg = "#ffffff"
        bg = "#8e4a9e"

        # A cancelled occurrence (its title starts with ✕).
        [roles.cancelledBlock]
        fg = "#7f8794"
        bg = "#262a31"

        # The chosen session while the Week pane is not focused.
        [roles.highlightBlock]
        fg = "#1e2127"
        bg = "#c8ccd4"

        # Today's column heading.
        [roles.today]
        fg = "#e5c07b"
        bg = "#1e2127"
        bold = true
        underline = true

        # The current time in the week grid's time column.
        [roles.nowLine]
        fg = "#f05a5a"
        bg = "#1e2127"
        bold = true

        # A patient's weekly hours that meet the phase requirement.
        [roles.meterOK]
        fg = "#5fc35f"
        bg = "#1e2127"

        # Weekly hours still short of the requirement.
        [roles.meterBehind]
        fg = "#f0a030"
        bg = "#1e2127"
        bold = true

        # A requirement that can no longer be met.
        [roles.meterMissed]
        fg = "#f05a5a"
        bg = "#1e2127"
        bold = true

        # Alert flags (⚑) and "+N" for sessions that do not fit.
        [roles.flag]
        fg = "#f0883e"
        bg = "#1e2127"
        bold = true

        # Dialogs, forms and help drawn over the panes.
        [roles.overlay]
        fg = "#d4d7dd"
        bg = "#2c313c"

        # Their frames.
        [roles.overlayBorder]
        fg = "#61afef"
        bg = "#2c313c"

        # Their titles and headings.
        [roles.overlayTitle]
        fg = "#ffffff"
        bg = "#2c313c"
        bold = true

        # The : command line and / search input.
        [roles.commandLine]
        fg = "#ffffff"
        bg = "#1e2127"

        # Messages in the bottom line.
        [roles.message]
        fg = "#abb2bf"
        bg = "#1e2127"

        # Error messages in the bottom line.
        [roles.errorMessage]
        fg = "#f05a5a"
        bg = "#1e2127"
        bold = true

        """#
}
