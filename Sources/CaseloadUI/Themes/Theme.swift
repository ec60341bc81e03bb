import Foundation

/// A colour as a theme writes it.
public enum ColorValue: Equatable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 palette entries (0–15 are the named colours).
    case indexed(Int)
    /// Truecolour `#rrggbb`.
    case rgb(UInt8, UInt8, UInt8)
}

/// How one role looks: colours and attributes.
public struct RoleStyle: Equatable, Sendable {
    public var foreground: ColorValue
    public var background: ColorValue
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: ColorValue = .terminalDefault, background: ColorValue = .terminalDefault, bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground; self.background = background
        self.bold = bold; self.dim = dim; self.underline = underline; self.reverse = reverse
    }
}

/// A named set of role styles. Roles a theme leaves out fall back to `text`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [Role: RoleStyle]

    public init(name: String, styles: [Role: RoleStyle]) { self.name = name; self.styles = styles }

    public func style(for role: Role) -> RoleStyle {
        styles[role] ?? styles[.text] ?? RoleStyle()
    }
}
