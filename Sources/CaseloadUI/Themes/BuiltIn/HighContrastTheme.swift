import Foundation

// Byte-for-byte themes/high-contrast.toml (ThemeTests checks they match); each line indented eight spaces.
extension BuiltInThemes {
    /// The built-in theme "high-contrast".
    static let highContrast = #"""
        # Caseload theme: high-contrast.
        # High contrast: white on black, yellow focus, saturated session blocks; for low vision
        # and washed-out projectors.
        # Roles, colours and attributes: see README.md in this folder.

        name = "high-contrast"

        # Ordinary text, and the background of every pane.
        [roles.text]
        fg = "#ffffff"
        bg = "#000000"

        # Secondary text: time labels, empty-list hints, note status.
        [roles.dim]
        fg = "#c0c0c0"
        bg = "#000000"

        # The top line: program name and the week shown.
        [roles.titleBar]
        fg = "#000000"
        bg = "#ffffff"
        bold = true

        # The quieter part of the top line: the file name.
        [roles.titleBarDim]
        fg = "#303030"
        bg = "#ffffff"

        # Pane frames.
        [roles.border]
        fg = "#ffffff"
        bg = "#000000"

        # The frame of the pane that has the keyboard.
        [roles.borderFocused]
        fg = "#ffff00"
        bg = "#000000"
        bold = true

        # A pane's title, in its top border.
        [roles.paneTitle]
        fg = "#ffffff"
        bg = "#000000"
        bold = true

        # The focused pane's title.
        [roles.paneTitleFocused]
        fg = "#000000"
        bg = "#ffff00"
        bold = true

        # The cursor in the focused pane: a list row, a week cell, the chosen session.
        [roles.selection]
        fg = "#000000"
        bg = "#ffff00"
        bold = true

        # Where the cursor is in the other panes.
        [roles.selectionUnfocused]
        fg = "#ffffff"
        bg = "#000000"
        bold = true
        underline = true

        # Column headings and the days of the week.
        [roles.header]
        fg = "#ffffff"
        bg = "#000000"
        bold = true
        underline = true

        # Keys in the bottom hint line (Tab, ?, n).
        [roles.hintKey]
        fg = "#ffff00"
        bg = "#000000"
        bold = true

        # The bottom line itself and what the keys do.
        [roles.hintText]
        fg = "#ffffff"
        bg = "#000000"

        # Good news: "saved".
        [roles.statusOK]
        fg = "#00ff00"
        bg = "#000000"

        # Needs attention: unsaved changes, draft notes, read-only.
        [roles.statusWarning]
        fg = "#ffd700"
        bg = "#000000"
        bold = true

        # Something failed or is wrong: save failed, autosave stopped, absent.
        [roles.statusError]
        fg = "#ff4040"
        bg = "#000000"
        bold = true

        # A group session in the week grid.
        [roles.groupBlock]
        fg = "#000000"
        bg = "#00d7ff"

        # An individual session in the week grid.
        [roles.individualBlock]
        fg = "#000000"
        bg = "#00ff5f"

        # A family session in the week grid.
        [roles.familyBlock]
        fg = "#000000"
        bg = "#ff5fff"

        # A cancelled occurrence (its title starts with ✕).
        [roles.cancelledBlock]
        fg = "#c0c0c0"
        bg = "#000000"

        # The chosen session while the Week pane is not focused.
        [roles.highlightBlock]
        fg = "#000000"
        bg = "#ffffff"
        bold = true

        # Today's column heading.
        [roles.today]
        fg = "#ffff00"
        bg = "#000000"
        bold = true
        underline = true

        # The current time in the week grid's time column.
        [roles.nowLine]
        fg = "#ff4040"
        bg = "#000000"
        bold = true

        # A patient's weekly hours that meet the phase requirement.
        [roles.meterOK]
        fg = "#00ff00"
        bg = "#000000"

        # Weekly hours still short of the requirement.
        [roles.meterBehind]
        fg = "#ffaf00"
        bg = "#000000"
        bold = true

        # A requirement that can no longer be met.
        [roles.meterMissed]
        fg = "#ff4040"
        bg = "#000000"
        bold = true

        # Alert flags (⚑) and "+N" for sessions that do not fit.
        [roles.flag]
        fg = "#ff8700"
        bg = "#000000"
        bold = true

        # Dialogs, forms and help drawn over the panes.
        [roles.overlay]
        fg = "#ffffff"
        bg = "#000000"

        # Their frames.
        [roles.overlayBorder]
        fg = "#ffff00"
        bg = "#000000"
        bold = true

        # Their titles and headings.
        [roles.overlayTitle]
        fg = "#000000"
        bg = "#ffffff"
        bold = true

        # The : command line and / search input.
        [roles.commandLine]
        fg = "#ffffff"
        bg = "#000000"
        bold = true

        # Messages in the bottom line.
        [roles.message]
        fg = "#ffffff"
        bg = "#000000"

        # Error messages in the bottom line.
        [roles.errorMessage]
        fg = "#ffffff"
        bg = "#d70000"
        bold = true

        """#
}
