import Foundation

/// How a patient attended a session.
public enum AttendanceStatus: Equatable, Sendable {
    case present
    /// Arrived `minutesLate` minutes after the start.
    case late(minutesLate: Int)
    /// Left before the end, having attended `minutesAttended`.
    case leftEarly(minutesAttended: Int)
    /// Absent with a reason the program accepts.
    case excused(reason: String)
    /// Absent without an accepted reason (no-show).
    case absent

    /// The status name in the file.
    public var kind: String {
        switch self {
        case .present: "present"
        case .late: "late"
        case .leftEarly: "leftEarly"
        case .excused: "excused"
        case .absent: "absent"
        }
    }

    /// Minutes that count toward the patient's hours for a session of `duration` minutes.
    public func minutesAttended(duration: Int) -> Int {
        let duration = max(0, duration)
        switch self {
        case .present: return duration
        case .late(let late): return min(duration, max(0, duration - late))
        case .leftEarly(let attended): return min(duration, max(0, attended))
        case .excused, .absent: return 0
        }
    }

    /// Was the patient in the room at all.
    public var attended: Bool {
        switch self {
        case .present, .late, .leftEarly: true
        case .excused, .absent: false
        }
    }
}

/// One roster member's attendance at one session.
public struct AttendanceMark: Equatable, Sendable, Codable {
    public var patient: PatientID
    public var status: AttendanceStatus

    public init(patient: PatientID, status: AttendanceStatus) { self.patient = patient; self.status = status }

    private enum CodingKeys: String, CodingKey { case patient, status, minutesLate, minutesAttended, reason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patient = try c.decode(PatientID.self, forKey: .patient)
        let kind = try c.decode(String.self, forKey: .status)
        switch kind {
        case "present": status = .present
        case "late": status = .late(minutesLate: try c.decode(Int.self, forKey: .minutesLate))
        case "leftEarly": status = .leftEarly(minutesAttended: try c.decode(Int.self, forKey: .minutesAttended))
        case "excused": status = .excused(reason: try c.decode(String.self, forKey: .reason))
        case "absent": status = .absent
        default:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "unknown attendance status \"\(kind.prefix(20))\" (expected present, late, leftEarly, excused or absent)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(patient, forKey: .patient)
        try c.encode(status.kind, forKey: .status)
        switch status {
        case .late(let m): try c.encode(m, forKey: .minutesLate)
        case .leftEarly(let m): try c.encode(m, forKey: .minutesAttended)
        case .excused(let r): try c.encode(r, forKey: .reason)
        case .present, .absent: break
        }
    }
}
