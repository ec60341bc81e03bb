import CaseloadCore
import Foundation
import Testing

@Suite struct ConsentStateTests {
    let d = TestDocument.date

    func consent(expires: String? = "2026-12-31", revoked: String? = nil, irrevocableUntil: String? = nil) -> Consent {
        Consent(id: "c1", recipient: "County Adult Probation", purpose: "compliance reports", information: "attendance",
                signed: d("2026-11-02"), expires: expires.map(d), expiryEvent: expires == nil ? "end of probation" : nil,
                revoked: revoked.map(d), irrevocableUntil: irrevocableUntil.map(d))
    }

    @Test func aConsentIsActiveBetweenSigningAndTheExpiryWindow() {
        #expect(consent().state(on: d("2026-11-01")) == .notYetSigned)
        #expect(consent().state(on: d("2026-11-02")) == .active)
        #expect(consent().state(on: d("2026-12-16")) == .active)
        #expect(consent(expires: nil).state(on: d("2030-01-01")) == .active)
    }

    @Test func itIsExpiringInTheLastFourteenDays() {
        #expect(consent().state(on: d("2026-12-17")) == .expiring(daysLeft: 14))
        #expect(consent().state(on: d("2026-12-31")) == .expiring(daysLeft: 0))
        #expect(consent().state(on: d("2026-12-01"), expiringWithinDays: 30) == .expiring(daysLeft: 30))
    }

    @Test func itExpiresTheDayAfterItsLastValidDay() {
        #expect(consent().state(on: d("2027-01-01")) == .expired)
    }

    @Test func revocationOutranksExpiry() {
        let revoked = consent(revoked: "2026-12-20")
        #expect(revoked.state(on: d("2026-12-19")) == .expiring(daysLeft: 12))
        #expect(revoked.state(on: d("2026-12-20")) == .revoked)
        #expect(revoked.state(on: d("2027-02-01")) == .revoked)
    }

    @Test func theStateAgreesWithIsValid() {
        let samples = [consent(), consent(revoked: "2026-12-10"), consent(expires: nil)]
        for c in samples {
            for offset in -3...70 {
                let day = d("2026-11-01").adding(days: offset)
                #expect(c.state(on: day).allowsDisclosure == c.isValid(on: day), "\(c.id) on \(day)")
            }
        }
    }

    @Test func revokingRecordsTheDate() throws {
        let revoked = try consent().revoking(on: d("2026-11-20"))
        #expect(revoked.revoked == d("2026-11-20"))
        #expect(revoked.state(on: d("2026-11-20")) == .revoked)
    }

    @Test func revokingIsRefusedTwiceBeforeSigningAndWhileIrrevocable() throws {
        #expect(throws: EditError.self) { try consent(revoked: "2026-11-20").revoking(on: d("2026-11-25")) }
        #expect(throws: EditError.self) { try consent().revoking(on: d("2026-11-01")) }
        let court = consent(expires: "2027-12-31", irrevocableUntil: "2027-03-01")
        do {
            _ = try court.revoking(on: d("2027-02-28"))
            Issue.record("an irrevocable consent was revoked")
        } catch {
            #expect(error.description.contains("this consent cannot be revoked before 2027-03-01"))
        }
        #expect(try court.revoking(on: d("2027-03-01")).revoked == d("2027-03-01"))
    }
}
