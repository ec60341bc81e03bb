import Foundation

/// A typed identifier: a string in the file, a distinct type in the code, so a patient's ID can never be passed as a staff member's.
public protocol TypedID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension TypedID {
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(String.self)
        guard !value.isEmpty else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an ID must not be empty")
        }
        self.init(value)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// A new random ID with a readable prefix (`pat_3f9c…`).
    public static func random(prefix: String) -> Self {
        Self(prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
    }
}

/// Identifies a staff member.
public struct StaffID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies a patient (not the MRN, which people read and may change).
public struct PatientID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies a recurring series of sessions.
public struct SeriesID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies a stored session (an occurrence with something recorded, or a one-off).
public struct SessionID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies a treatment phase of the program.
public struct PhaseID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies a room.
public struct RoomID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
/// Identifies an item inside a patient's record (a medication, screen, consent, plan entry).
public struct ItemID: TypedID { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
