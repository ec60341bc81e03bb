import Foundation

/// Where a 42 CFR Part 2 consent stands on a date.
public enum ConsentState: Equatable, Sendable {
    /// The date is before the signing date.
    case notYetSigned
    /// Valid, and not close to its expiry date.
    case active
    /// Valid, with `daysLeft` days until its last valid day (0 = expires today).
    case expiring(daysLeft: Int)
    /// Past its last valid day.
    case expired
    /// Revoked by the patient on or before the date.
    case revoked

    /// Disclosure is allowed (the same as `Consent.isValid(on:)`).
    public var allowsDisclosure: Bool {
        switch self {
        case .active, .expiring: true
        case .notYetSigned, .expired, .revoked: false
        }
    }
}

extension Consent {
    /// The consent's state on `date`; `expiring` when its last valid day is at most `expiringWithinDays` away. Revocation outranks expiry.
    public func state(on date: LocalDate, expiringWithinDays: Int = 14) -> ConsentState {
        if let revoked, revoked <= date { return .revoked }
        guard signed <= date else { return .notYetSigned }
        guard let expires else { return .active }
        if date > expires { return .expired }
        let daysLeft = date.days(until: expires)
        return daysLeft <= expiringWithinDays ? .expiring(daysLeft: daysLeft) : .active
    }

    /// This consent revoked from `date`; refused when it is already revoked, when `date` is before the signing date, or while it is irrevocable.
    public func revoking(on date: LocalDate) throws(EditError) -> Consent {
        let field = "consents[\(id)].revoked"
        func refusal(_ message: String) -> EditError { .invalid([ValidationIssue(field: field, message: message)]) }
        if let revoked { throw refusal("this consent was already revoked on \(revoked)") }
        if date < signed { throw refusal("a consent cannot be revoked before it was signed (\(signed))") }
        if let until = irrevocableUntil, date < until {
            throw refusal("this consent cannot be revoked before \(until) (it is irrevocable until then)")
        }
        var copy = self
        copy.revoked = date
        return copy
    }
}
