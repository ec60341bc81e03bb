import Foundation

// Byte-for-byte themes/mono.toml (ThemeTests checks they match); each line indented eight spaces.
extension BuiltInThemes {
    /// The built-in theme "mono".
    static let mono = #"""
        # Caseload theme: mono.
        # Monochrome: the terminal's own colours, attributes only (bold, dim, underline, reverse).
        # Caseload uses it whenever NO_COLOR is set.
        # Roles, colours and attributes: see README.md in this folder.

        name = "mono"

        # Ordinary text, and the background of every pane.
        [roles.text]
        fg = "default"
        bg = "default"

        # Secondary text: time labels, empty-list hints, note status.
        [roles.dim]
        fg = "default"
        bg = "default"
        dim = true

        # The top line: program name and the week shown.
        [roles.titleBar]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # The quieter part of the top line: the file name.
        [roles.titleBarDim]
        fg = "default"
        bg = "default"
        reverse = true

        # Pane frames.
        [roles.border]
        fg = "default"
        bg = "default"

        # The frame of the pane that has the keyboard.
        [roles.borderFocused]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # A pane's title, in its top border.
        [roles.paneTitle]
        fg = "default"
        bg = "default"
        bold = true

        # The focused pane's title.
        [roles.paneTitleFocused]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # The cursor in the focused pane: a list row, a week cell, the chosen session.
        [roles.selection]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # Where the cursor is in the other panes.
        [roles.selectionUnfocused]
        fg = "default"
        bg = "default"
        underline = true

        # Column headings and the days of the week.
        [roles.header]
        fg = "default"
        bg = "default"
        bold = true
        underline = true

        # Keys in the bottom hint line (Tab, ?, n).
        [roles.hintKey]
        fg = "default"
        bg = "default"
        bold = true

        # The bottom line itself and what the keys do.
        [roles.hintText]
        fg = "default"
        bg = "default"
        dim = true

        # Good news: "saved".
        [roles.statusOK]
        fg = "default"
        bg = "default"

        # Needs attention: unsaved changes, draft notes, read-only.
        [roles.statusWarning]
        fg = "default"
        bg = "default"
        bold = true

        # Something failed or is wrong: save failed, autosave stopped, absent.
        [roles.statusError]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # A group session in the week grid.
        [roles.groupBlock]
        fg = "default"
        bg = "default"
        bold = true

        # An individual session in the week grid.
        [roles.individualBlock]
        fg = "default"
        bg = "default"
        underline = true

        # A family session in the week grid.
        [roles.familyBlock]
        fg = "default"
        bg = "default"
        bold = true
        underline = true

        # A cancelled occurrence (its title starts with ✕).
        [roles.cancelledBlock]
        fg = "default"
        bg = "default"
        dim = true

        # The chosen session while the Week pane is not focused.
        [roles.highlightBlock]
        fg = "default"
        bg = "default"
        reverse = true

        # Today's column heading.
        [roles.today]
        fg = "default"
        bg = "default"
        bold = true
        underline = true

        # The current time in the week grid's time column.
        [roles.nowLine]
        fg = "default"
        bg = "default"
        bold = true

        # A patient's weekly hours that meet the phase requirement.
        [roles.meterOK]
        fg = "default"
        bg = "default"

        # Weekly hours still short of the requirement.
        [roles.meterBehind]
        fg = "default"
        bg = "default"
        bold = true

        # A requirement that can no longer be met.
        [roles.meterMissed]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        # Alert flags (⚑) and "+N" for sessions that do not fit.
        [roles.flag]
        fg = "default"
        bg = "default"
        bold = true

        # Dialogs, forms and help drawn over the panes.
        [roles.overlay]
        fg = "default"
        bg = "default"

        # Their frames.
        [roles.overlayBorder]
        fg = "default"
        bg = "default"
        bold = true

        # Their titles and headings.
        [roles.overlayTitle]
        fg = "default"
        bg = "default"
        bold = true
        underline = true

        # The : command line and / search input.
        [roles.commandLine]
        fg = "default"
        bg = "default"

        # Messages in the bottom line.
        [roles.message]
        fg = "default"
        bg = "default"

        # Error messages in the bottom line.
        [roles.errorMessage]
        fg = "default"
        bg = "default"
        bold = true
        reverse = true

        """#
}
