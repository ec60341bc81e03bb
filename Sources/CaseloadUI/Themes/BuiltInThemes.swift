// The built-in themes, embedded so the binary does not need the repository's themes/ folder.
// Each text is byte-for-byte the file of the same name in themes/ (one file each under BuiltIn/); ThemeTests checks they match.
// After editing a file in themes/, paste it into its BuiltIn/ file unchanged, each line indented eight spaces.

/// Built-in theme files: name → TOML text (the same as `themes/NAME.toml`).
public enum BuiltInThemes {
    public static let texts: [String: String] = [
        "default": defaultTheme,
        "light": light,
        "high-contrast": highContrast,
        "solarized-dark": solarizedDark,
        "mono": mono,
    ]
}
