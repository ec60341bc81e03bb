import Foundation

// Byte-for-byte themes/light.toml (ThemeTests checks they match); each line indented eight spaces.
extension BuiltInThemes {
    /// The built-in theme "light".
    static let light = #"""
        # Caseload theme: light.
        # Light: dark text on an off-white background, for bright rooms and light terminals.
        # Roles, colours and attributes: see README.md in this folder.

        name = "light"

        # Ordinary text, and the background of every pane.
        [roles.text]
        fg = "#2b2f36"
        bg = "#fafafa"

        # Secondary text: time labels, empty-list hints, note status.
        [roles.dim]
        fg = "#5f6672"
        bg = "#fafafa"

        # The top line: program name and the week shown.
        [roles.titleBar]
        fg = "#ffffff"
        bg = "#34528a"
        bold = true

        # The quieter part of the top line: the file name.
        [roles.titleBarDim]
        fg = "#c9d3e3"
        bg = "#34528a"

        # Pane frames.
        [roles.border]
        fg = "#646c78"
        bg = "#fafafa"

        # The frame of the pane that has the keyboard.
        [roles.borderFocused]
        fg = "#1f6fd1"
        bg = "#fafafa"
        bold = true

        # A pane's title, in its top border.
        [roles.paneTitle]
        fg = "#2b2f36"
        bg = "#fafafa"
        bold = true

        # The focused pane's title.
        [roles.paneTitleFocused]
        fg = "#ffffff"
        bg = "#1f6fd1"
        bold = true

        # The cursor in the focused pane: a list row, a week cell, the chosen session.
        [roles.selection]
        fg = "#ffffff"
        bg = "#2b2f36"
        bold = true

        # Where the cursor is in the other panes.
        [roles.selectionUnfocused]
        fg = "#2b2f36"
        bg = "#d5dae3"
        bold = true

        # Column headings and the days of the week.
        [roles.header]
        fg = "#34528a"
        bg = "#fafafa"
        bold = true

        # Keys in the bottom hint line (Tab, ?, n).
        [roles.hintKey]
        fg = "#1f6fd1"
        bg = "#fafafa"
        bold = true

        # The bottom line itself and what the keys do.
        [roles.hintText]
        fg = "#5f6672"
        bg = "#fafafa"

        # Good news: "saved".
        [roles.statusOK]
        fg = "#2e7d32"
        bg = "#fafafa"

        # Needs attention: unsaved changes, draft notes, read-only.
        [roles.statusWarning]
        fg = "#946a00"
        bg = "#fafafa"
        bold = true

        # Something failed or is wrong: save failed, autosave stopped, absent.
        [roles.statusError]
        fg = "#c62828"
        bg = "#fafafa"
        bold = true

        # A group session in the week grid.
        [roles.groupBlock]
        fg = "#ffffff"
        bg = "#2f55b0"

        # An individual session in the week grid.
        [roles.individualBlock]
        fg = "#ffffff"
        bg = "#2e7d40"

        # A family session in the week grid.
        [roles.familyBlock]
        fg = "#ffffff"
        bg = "#8e44ad"

        # A cancelled occurrence (its title starts with ✕).
        [roles.cancelledBlock]
        fg = "#5f6672"
        bg = "#eceef2"

        # The chosen session while the Week pane is not focused.
        [roles.highlightBlock]
        fg = "#1f1f1f"
        bg = "#f2c14e"

        # Today's column heading.
        [roles.today]
        fg = "#1f6fd1"
        bg = "#fafafa"
        bold = true
        underline = true

        # The current time in the week grid's time column.
        [roles.nowLine]
        fg = "#c62828"
        bg = "#fafafa"
        bold = true

        # A patient's weekly hours that meet the phase requirement.
        [roles.meterOK]
        fg = "#2e7d32"
        bg = "#fafafa"

        # Weekly hours still short of the requirement.
        [roles.meterBehind]
        fg = "#946a00"
        bg = "#fafafa"
        bold = true

        # A requirement that can no longer be met.
        [roles.meterMissed]
        fg = "#c62828"
        bg = "#fafafa"
        bold = true

        # Alert flags (⚑) and "+N" for sessions that do not fit.
        [roles.flag]
        fg = "#b35000"
        bg = "#fafafa"
        bold = true

        # Dialogs, forms and help drawn over the panes.
        [roles.overlay]
        fg = "#2b2f36"
        bg = "#eef0f4"

        # Their frames.
        [roles.overlayBorder]
        fg = "#1f6fd1"
        bg = "#eef0f4"

        # Their titles and headings.
        [roles.overlayTitle]
        fg = "#2b2f36"
        bg = "#eef0f4"
        bold = true

        # The : command line and / search input.
        [roles.commandLine]
        fg = "#000000"
        bg = "#fafafa"

        # Messages in the bottom line.
        [roles.message]
        fg = "#2b2f36"
        bg = "#fafafa"

        # Error messages in the bottom line.
        [roles.errorMessage]
        fg = "#c62828"
        bg = "#fafafa"
        bold = true

        """#
}
