// The built-in themes, embedded so the binary does not need the repository's themes/ folder.
// Each text is byte-for-byte the file of the same name in themes/; ThemeTests checks they match.
// After editing a file in themes/, paste it here unchanged, each line indented eight spaces.

/// Built-in theme files: name → TOML text (the same as `themes/NAME.toml`).
public enum BuiltInThemes {
    public static let texts: [String: String] = [
        "default": #"""
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

        """#,
        "light": #"""
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

        """#,
        "high-contrast": #"""
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

        """#,
        "solarized-dark": #"""
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

        """#,
        "mono": #"""
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

        """#,
    ]
}
